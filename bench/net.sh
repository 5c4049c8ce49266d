#!/usr/bin/env bash
# net.sh: what the aiprof TCP probe costs per event under a loopback load of many small messages.
#
# One run, A B (A B ... with -r): the same load (bench/net-load.py: one loopback connection,
# MESSAGES sends of SIZE bytes with TCP_NODELAY, read by a second thread), pinned to one CPU:
#   A  no agent
#   B  ./aiprof profile --collectors sched,net running (pinned to another CPU), with
#      kernel.bpf_stats_enabled=1: bpftool reads each net_* program's run_cnt / run_time_ns
# Reports sends/s and the load's own CPU seconds in each, and the kernel's ns per run of each
# program (BPF_ENABLE_STATS: CPU time, which holds up on a loaded machine; the wall-clock rates
# do not: say whether the machine was quiet).
#
# Usage (root):  bench/net.sh [-r ROUNDS] [-n MESSAGES] [-s SIZE]
#   -r rounds (default 1), -n messages per window (default 300000), -s bytes each (default 64)
#   LOAD_CPU / TOOL_CPU (default 1 / 0) choose the CPUs.
# Needs python3, bpftool, jq, taskset. Writes bench/results/net-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=1
MESSAGES=300000
SIZE=64
LOAD_CPU=${LOAD_CPU:-1}
TOOL_CPU=${TOOL_CPU:-0}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts 'r:n:s:h' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    n) MESSAGES=$OPTARG ;;
    s) SIZE=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done

say() { printf 'net: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (BPF and kernel.bpf_stats_enabled need it)"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "invalid -r '$ROUNDS': use a whole number >= 1"
[[ $MESSAGES =~ ^[1-9][0-9]*$ ]] || die "invalid -n '$MESSAGES': use a whole number >= 1"
[[ $SIZE =~ ^[1-9][0-9]*$ ]] || die "invalid -s '$SIZE': use a whole number of bytes >= 1"
for t in python3 bpftool jq taskset; do command -v "$t" >/dev/null || die "$t not found"; done

WORK=$(mktemp -d /tmp/aiprof-net-bench.XXXXXX)
OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled)
AGENT_PID=
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  sysctl -qw kernel.bpf_stats_enabled="$OLD_STATS"
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -f "$ROOT/agent/target/aiprof.jar" ]; then
  say "building aiprof once (./aiprof setup)"
  "$ROOT/aiprof" setup >"$WORK/setup.txt" 2>&1 || { cat "$WORK/setup.txt" >&2; die "aiprof setup failed"; }
fi

# "name cnt ns" for every loaded net_* program
prog_stats() {
  bpftool prog show -j | jq -r '.[] | select((.name // "") | test("^net_(state|send|recv|retransmit)$"))
    | "\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

load() { taskset -c "$LOAD_CPU" python3 "$BENCH/net-load.py" "$MESSAGES" "$SIZE"; }

run_probed() {
  sysctl -qw kernel.bpf_stats_enabled=1
  taskset -c "$TOOL_CPU" "$ROOT/aiprof" profile --collectors sched,net --duration 300s \
    >"$WORK/agent.txt" 2>&1 &
  AGENT_PID=$!
  local deadline=$((SECONDS + 60))
  until [ -n "$(prog_stats)" ]; do
    [ $SECONDS -lt $deadline ] || die "the agent did not load the TCP probe: $(cat "$WORK/agent.txt")"
    sleep 0.2
  done
  prog_stats >"$WORK/before.txt"
  load
  prog_stats >"$WORK/after.txt"
  kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
  AGENT_PID=
  sysctl -qw kernel.bpf_stats_enabled="$OLD_STATS"
}

value() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

RESULTS="$BENCH/results/net-$(date -u +%Y%m%d-%H%M).md"
mkdir -p "$BENCH/results"
{
  echo "# net $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $MESSAGES sends" \
    "of $SIZE bytes per window; load on CPU $LOAD_CPU, agent on CPU $TOOL_CPU;" \
    "A = no agent, B = aiprof profile --collectors sched,net."
  echo
  echo "| round | A sends/s | B sends/s | A load CPU s | B load CPU s | program: runs, ns/run (B) |"
  echo "|---|---|---|---|---|---|"
} >"$RESULTS"
for r in $(seq 1 "$ROUNDS"); do
  say "round $r: A (no agent)"
  load >"$WORK/a.txt"
  say "round $r: B (agent)"
  run_probed >"$WORK/b.txt"
  progs=$(join <(sort "$WORK/before.txt") <(sort "$WORK/after.txt") |
    awk '{c = $4 - $2; t = $5 - $3; printf "%s %d, %.0f; ", $1, c, (c > 0 ? t / c : 0)}')
  echo "| $r | $(value "$WORK/a.txt" sends_per_s) | $(value "$WORK/b.txt" sends_per_s) |" \
    "$(value "$WORK/a.txt" cpu_seconds) | $(value "$WORK/b.txt" cpu_seconds) | $progs |" >>"$RESULTS"
done
cat "$RESULTS"
