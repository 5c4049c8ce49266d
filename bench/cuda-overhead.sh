#!/usr/bin/env bash
# cuda-overhead.sh: what the aiprof CUDA probe costs a thread per probed call.
#
# One run, A B A B ...: the same program (cuda-calls.c) times N calls of each probed kind against
# the test fixtures' fake CUDA driver and runtime (which do nothing, so what it times is the call
# and whatever the probes add):
#   A  no agent
#   B  ./aiprof profile --collectors cuda running (pinned to another CPU); the program waits until
#      the agent's uprobes are in place, then times the same calls; with
#      kernel.bpf_stats_enabled=1, bpftool reads the CUDA programs' own run_time_ns / run_cnt
# The ns per call difference B - A is the whole cost of a probe hit (trap, uprobe dispatch, the
# BPF program, return); the kernel's counters give the BPF program's part of it.
#
# Usage (root):  bench/cuda-overhead.sh [-r ROUNDS] [-n CALLS]
#   -r rounds (default 3), -n calls per kind per window (default 1000000)
#   RUN_CPU / TOOL_CPU (default 1 / 0) choose the CPUs.
# Needs gcc, bpftool, jq, taskset. Writes bench/results/cuda-overhead-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=3
CALLS=1000000
RUN_CPU=${RUN_CPU:-1}
TOOL_CPU=${TOOL_CPU:-0}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts 'r:n:h' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    n) CALLS=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 ;;
  esac
done

say() { printf 'cuda-overhead: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (uprobes, bpf stats)"
for t in gcc bpftool jq taskset; do command -v "$t" >/dev/null || die "$t not found"; done

WORK=$(mktemp -d /tmp/aiprof-cuda-bench.XXXXXX)
OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled)
AGENT_PID=
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  sysctl -qw kernel.bpf_stats_enabled="$OLD_STATS"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# ---- build: the fixtures' fake driver and runtime, and the timing program ----
SRC="$ROOT/test-fixtures/src/main/c/cuda"
gcc -O2 -Wall -Werror -fPIC -shared -Wl,-soname,libcuda.so.1 -o "$WORK/libcuda.so.1" "$SRC/fake_libcuda.c"
gcc -O2 -Wall -Werror -fPIC -shared -I"$SRC" -Wl,-soname,libcudart.so.13 \
  -o "$WORK/libcudart.so.13" "$SRC/fake_libcudart.c" -L"$WORK" -l:libcuda.so.1 -Wl,-rpath,"$WORK"
gcc -O2 -Wall -Werror -I"$SRC" -o "$WORK/cuda-calls" "$BENCH/cuda-calls.c" \
  -L"$WORK" -l:libcudart.so.13 -l:libcuda.so.1 -Wl,-rpath,"$WORK"
say "building aiprof once (./aiprof setup)"
"$ROOT/aiprof" setup >"$WORK/setup.txt" 2>&1 || { cat "$WORK/setup.txt" >&2; die "aiprof setup failed"; }

# run_cnt and run_time_ns summed over the loaded cuda_* programs, as "cnt ns"
prog_stats() {
  bpftool prog show -j | jq -r '[.[] | select((.name // "") | test("^cuda_(count|copy|free|enter|exit)$"))
    | {c: (.run_cnt // 0), t: (.run_time_ns // 0)}] | "\(map(.c) | add // 0) \(map(.t) | add // 0)"'
}

run_plain() { taskset -c "$RUN_CPU" "$WORK/cuda-calls" plain "$CALLS"; }

run_probed() {
  sysctl -qw kernel.bpf_stats_enabled=1
  taskset -c "$TOOL_CPU" "$ROOT/aiprof" profile --collectors cuda --duration 120s \
    --set cuda.scan-interval=100ms >"$WORK/agent.txt" 2>&1 &
  AGENT_PID=$!
  taskset -c "$RUN_CPU" "$WORK/cuda-calls" probed "$CALLS"
  echo "programs $(prog_stats)"
  kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
  AGENT_PID=
  sysctl -qw kernel.bpf_stats_enabled="$OLD_STATS"
}

value() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

RESULTS="$BENCH/results/cuda-overhead-$(date -u +%Y%m%d-%H%M).md"
mkdir -p "$BENCH/results"
{
  echo "# cuda-overhead $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$(uname -r), $(nproc) CPUs; $CALLS calls per kind per window; program on CPU $RUN_CPU," \
    "agent on CPU $TOOL_CPU; A = no agent, B = aiprof profile --collectors cuda."
  echo
  echo "| round | call | A ns/call | B ns/call | B - A ns | probe programs ns/run (B) |"
  echo "|---|---|---|---|---|---|"
} >"$RESULTS"
for r in $(seq 1 "$ROUNDS"); do
  say "round $r: A (no agent)"
  run_plain >"$WORK/a.txt"
  say "round $r: B (agent)"
  run_probed >"$WORK/b.txt"
  read -r cnt ns < <(awk '$1 == "programs" {print $2, $3}' "$WORK/b.txt")
  per_run=$(awk -v c="$cnt" -v t="$ns" 'BEGIN { printf "%.0f", (c > 0 ? t / c : 0) }')
  for call in cuLaunchKernel cuStreamSynchronize cudaLaunchKernel; do
    a=$(value "$WORK/a.txt" "$call"); b=$(value "$WORK/b.txt" "$call")
    d=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", b - a }')
    echo "| $r | $call | $a | $b | $d | $per_run |" >>"$RESULTS"
  done
done
{
  echo
  echo "Medians over the rounds (quote these, and the ratio to the program's own cost):"
  echo
  echo "| call | A ns/call | B ns/call | B - A ns |"
  echo "|---|---|---|---|"
  for call in cuLaunchKernel cuStreamSynchronize cudaLaunchKernel; do
    awk -F' [|] ' -v k="$call" '$2 == k {a[n] = $3; b[n] = $4; d[n++] = $5}
      function med(x,   i, j, t) {
        for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
        return n % 2 ? x[int(n / 2)] : (x[n / 2 - 1] + x[n / 2]) / 2
      }
      END { printf "| %s | %s | %s | %s |\n", k, med(a), med(b), med(d) }' "$RESULTS"
  done
} >>"$WORK/medians.md"
cat "$WORK/medians.md" >>"$RESULTS"
cat "$RESULTS"
