#!/usr/bin/env bash
# fileio.sh: what the aiprof file-I/O probe costs under a read-heavy load.
#
# One run, A then B: fio reads a cached file 4 KiB at a time with psync (pread64: the syscall
# path the probe sits on, at its highest rate, no device in the way):
#   A  no agent
#   B  ./aiprof profile --collectors fileio running (pinned to another CPU), with
#      kernel.bpf_stats_enabled=1: bpftool reads the fileio programs' own run_time_ns / run_cnt
# Prints fio's IOPS in both windows and each program's ns per run (the kernel's accounting of the
# BPF program alone; the tracepoint dispatch around it is in the IOPS difference). On a shared
# machine the IOPS of one A/B pair swing with the other work: quote the per-run costs, and the
# IOPS only with the machine's load next to them.
#
# Usage (root):  bench/fileio.sh [-t SECONDS]
#   -t seconds per window (default 10); RUN_CPU / TOOL_CPU (default 1 / 0) choose the CPUs.
# Needs fio, bpftool, jq, taskset. Writes bench/results/fileio-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
SECONDS_PER=10
RUN_CPU=${RUN_CPU:-1}
TOOL_CPU=${TOOL_CPU:-0}

while getopts 't:h' opt; do
  case $opt in
    t) SECONDS_PER=$OPTARG ;;
    h) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
  esac
done

say() { printf 'fileio-bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (bpf stats)"
for t in fio bpftool jq taskset; do command -v "$t" >/dev/null || die "$t not found"; done
[ -f "$ROOT/agent/target/aiprof.jar" ] || die "agent/target/aiprof.jar is not built: run ./aiprof setup"

WORK=$(mktemp -d /var/tmp/aiprof-fileio-bench.XXXXXX) # a disk file system, not tmpfs
OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled)
AGENT_PID=
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  sysctl -qw kernel.bpf_stats_enabled="$OLD_STATS"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

fio_iops() {
  taskset -c "$RUN_CPU" fio --name=fileio-bench --filename="$WORK/data" --size=64M --rw=randread \
    --bs=4k --ioengine=psync --invalidate=0 --time_based --runtime="$SECONDS_PER" \
    --output-format=json | jq '.jobs[0].read.iops | floor'
}

# "name cnt ns" of every loaded fileio_* program
prog_stats() {
  bpftool prog show -j | jq -r '.[] | select((.name // "") | startswith("fileio_"))
    | "\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

say "warming the file into the page cache"
fio --name=warm --filename="$WORK/data" --size=64M --rw=read --bs=1M --output-format=terse >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

say "A: no agent, ${SECONDS_PER}s"
A=$(fio_iops)

say "B: with the fileio collector"
sysctl -qw kernel.bpf_stats_enabled=1
taskset -c "$TOOL_CPU" "$ROOT/aiprof" profile --collectors fileio --duration 600s >"$WORK/agent.txt" 2>&1 &
AGENT_PID=$!
for _ in $(seq 1 240); do grep -q "probes attached" "$WORK/agent.txt" && break; sleep 0.5; done
grep -q "probes attached" "$WORK/agent.txt" || { cat "$WORK/agent.txt" >&2; die "the agent did not attach"; }
prog_stats >"$WORK/before"
B=$(fio_iops)
prog_stats >"$WORK/after"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

OUT="$BENCH/results/fileio-$(date -u +%Y-%m-%dT%H%M%SZ).md"
{
  echo "# fileio probe cost, $(date -u +%F) on $(uname -r), $(nproc) CPUs"
  echo
  echo "fio randread 4 KiB psync of a cached 64 MiB file, ${SECONDS_PER}s per window, one A/B pair."
  echo "Load average before: $LOAD_BEFORE, after: $LOAD_AFTER (a shared machine: IOPS swing with it)."
  echo
  echo "| window | IOPS |"
  echo "|---|---|"
  echo "| A (no agent) | $A |"
  echo "| B (fileio) | $B |"
  echo
  echo "| program | runs in B | ns per run |"
  echo "|---|---|---|"
  join <(sort "$WORK/before") <(sort "$WORK/after") | awk '{ c = $4 - $2; t = $5 - $3;
    if (c > 0) printf "| %s | %d | %.0f |\n", $1, c, t / c }'
} | tee "$OUT"
