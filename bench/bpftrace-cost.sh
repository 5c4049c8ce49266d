#!/usr/bin/env bash
# bpftrace-cost.sh: what a typical bpftrace one-liner costs per run under the agent (collector
# bpftrace, script from bpftrace.inline) against the same one-liner run by hand.
#
# One run, A B A B ...: A is `bpftrace -e ONE_LINER` by hand, B is `aiprof run --collectors
# bpftrace --set bpftrace.inline=ONE_LINER`. In each round the tool starts, its probes attach,
# then a fixed syscall load runs (dd, 1-byte reads and writes, pinned to LOAD_CPU) and the
# kernel's BPF_ENABLE_STATS accounting (kernel.bpf_stats_enabled=1 for the run, restored after)
# of the one-liner's program is read before and after the load: run_time_ns / run_cnt is the
# cost of one run. The agent's appended interval program (its print each bpftrace.print-interval)
# is reported apart: it runs once per interval.
#
# Usage (root):  bench/bpftrace-cost.sh [-r ROUNDS] [-n SYSCALL_PAIRS]
#   -r rounds (default 3), -n dd's count (default 300000: 600000 syscalls)
# Writes bench/results/bpftrace-cost-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=3
COUNT=300000
LOAD_CPU=${LOAD_CPU:-1}
ONE_LINER='tracepoint:raw_syscalls:sys_enter { @syscalls[comm] = count(); }'

while getopts 'r:n:h' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    n) COUNT=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  esac
done
say() { printf 'bpftrace-cost: %s\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { say "run as root"; exit 2; }
for t in bpftrace bpftool jq dd taskset; do
  command -v "$t" >/dev/null || { say "$t not found"; exit 2; }
done

WORK=$(mktemp -d /tmp/aiprof-bpftrace-cost.XXXXXX)
STATS_BEFORE=$(cat /proc/sys/kernel/bpf_stats_enabled)
TOOL_PID=
cleanup() {
  [ -n "$TOOL_PID" ] && kill "$TOOL_PID" 2>/dev/null || true
  echo "$STATS_BEFORE" > /proc/sys/kernel/bpf_stats_enabled
  rm -rf "$WORK"
}
trap cleanup EXIT
echo 1 > /proc/sys/kernel/bpf_stats_enabled

# prog ids held by pid $1 (fdinfo prog_id lines)
progs_of() { grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u; }
# "run_time_ns run_cnt name" of prog id $1
stat_of() { bpftool prog show id "$1" --json | jq -r '"\(.run_time_ns // 0) \(.run_cnt // 0) \(.name)"'; }
# waits until pid $1 holds a program named $2; prints its id
await_prog() {
  for _ in $(seq 1 600); do
    for id in $(progs_of "$1"); do
      [ "$(stat_of "$id" | awk '{print $3}')" = "$2" ] && { echo "$id"; return 0; }
    done
    sleep 0.05
  done
  say "no program $2 in pid $1"; return 1
}
load() { taskset -c "$LOAD_CPU" dd if=/dev/zero of=/dev/null bs=1 count="$COUNT" status=none; }

measure() { # $1 mode, $2 pid of the bpftrace holding the program
  local id s0 s1
  id=$(await_prog "$2" sys_enter)
  s0=$(stat_of "$id")
  load
  s1=$(stat_of "$id")
  awk -v m="$1" -v a="$s0" -v b="$s1" 'BEGIN { split(a, x, " "); split(b, y, " ");
    ns = y[1] - x[1]; n = y[2] - x[2];
    printf "| %s | %d | %.0f | %.1f |\n", m, n, ns / 1e3, (n ? ns / n : 0) }'
}

rows=()
for r in $(seq 1 "$ROUNDS"); do
  # A: by hand
  bpftrace -e "$ONE_LINER" > /dev/null 2>&1 &
  TOOL_PID=$!
  rows+=("$(measure "A by hand (round $r)" "$TOOL_PID")")
  kill "$TOOL_PID"; wait "$TOOL_PID" 2>/dev/null || true; TOOL_PID=
  # B: under the agent
  "$ROOT/aiprof" run --collectors=bpftrace --no-prometheus --output-dir="$WORK/out" \
    --set "bpftrace.inline=$ONE_LINER" --set "bpftrace.state-dir=$WORK/state" \
    > "$WORK/agent.log" 2>&1 &
  TOOL_PID=$!
  child=
  for _ in $(seq 1 600); do
    child=$(pgrep -f "$WORK/state/inline.bt" | head -n 1 || true)
    [ -n "$child" ] && [ "$(cat /proc/"$child"/comm 2>/dev/null)" = bpftrace ] && break
    sleep 0.05
  done
  rows+=("$(measure "B under the agent (round $r)" "$child")")
  kill "$TOOL_PID"; wait "$TOOL_PID" 2>/dev/null || true; TOOL_PID=
done

out="$BENCH/results/bpftrace-cost-$(date -u +%Y-%m-%dT%H%M%SZ).md"
{
  echo "# bpftrace one-liner: cost per run, by hand (A) and under the agent (B)"
  echo
  echo "One-liner: \`$ONE_LINER\`; load: dd bs=1 count=$COUNT on CPU $LOAD_CPU;"
  echo "$(nproc) CPUs, kernel $(uname -r), $(bpftrace --version); commit $(git -C "$ROOT" rev-parse --short HEAD)."
  echo
  echo "| run | program runs | run time (µs) | ns per run |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} > "$out"
cat "$out"
