#!/usr/bin/env bash
# nvml-overhead.sh: what the NVML collector costs, against the fake libnvidia-ml.so.1.
#
# One run, A B A B ...: two agents side by side in time, the same collectors but one:
#   A  ./aiprof run --disable jfr              (sched, marker, otlp and nvml; 8 x H100 fake)
#   B  ./aiprof run --disable jfr,nvml         (the same without the GPU collector)
# Each window: the agent starts, warms up, then over WINDOW seconds the script reads
#   - the sampler's own CPU time and rounds from /metrics (aiprof_gpu_sampler_cpu_seconds_total,
#     aiprof_gpu_sampler_rounds_total: the thread's CPU clock around each round), so CPU per
#     sample = delta cpu / delta rounds / devices;
#   - the whole agent's CPU (utime+stime of /proc/PID/stat) and VmRSS at the end.
# A samples every nvml.interval (default here 100ms, ten times the production default, so a
# window holds hundreds of rounds). The fake answers at once: the numbers are aiprof's side of
# each NVML call (JNA, decoding, export), not the driver's.
#
# Usage (root):  bench/nvml-overhead.sh [-r ROUNDS] [-w SECONDS] [-i INTERVAL]
#   -r rounds (default 3), -w window seconds (default 20), -i nvml.interval (default 100ms).
#   TOOL_CPU (default 0) pins the agents. Needs a built agent (./aiprof setup) and curl.
# Writes bench/results/nvml-overhead-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=3
WINDOW=20
INTERVAL=100ms
WARMUP=8
TOOL_CPU=${TOOL_CPU:-0}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts 'r:w:i:h' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    w) WINDOW=$OPTARG ;;
    i) INTERVAL=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done

say() { printf 'nvml-overhead: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (the agent's BPF collectors need it)"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "invalid -r '$ROUNDS': use a whole number >= 1"
[[ $WINDOW =~ ^[1-9][0-9]*$ ]] || die "invalid -w '$WINDOW': use whole seconds >= 1"
for tool in curl taskset make gcc; do
  command -v "$tool" >/dev/null || die "missing $tool (Debian: apt-get install curl util-linux make gcc)"
done
[ -f "$ROOT/agent/target/aiprof.jar" ] || die "no agent/target/aiprof.jar: build first (./aiprof setup)"
FAKE="$ROOT/test-fixtures/target/fake-nvml"
make -s -C "$ROOT/test-fixtures/fake-nvml" OUT="$FAKE" all || die "cannot build the fake NVML"
LIB="$FAKE/current/libnvidia-ml.so.1"

WORK=$(mktemp -d /tmp/aiprof-nvml-bench.XXXXXX)
AGENT=
cleanup() {
  [ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# A busy script: every GPU between 20 and 95 %, four processes on two of them.
cat >"$WORK/script" <<'SCRIPT'
util 0 20,40,60,80,95
util 1 95
util 2 50
util 3 75,5
proc 0 4242 20480 60 20
proc 0 4343 10240 20 5
proc 1 5151 40960 90 30
proc 1 5252 1024 1 0
SCRIPT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
metric() { # NAME: the value of an unlabelled series on /metrics
  local body
  body=$(curl -s "http://127.0.0.1:$PORT/metrics")
  awk -v n="$1" '$1 == n {print $2}' <<<"$body"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# window KIND EXTRA...: one agent, one window; prints "cpu_s rss_kib sampler_cpu_s rounds"
window() {
  local kind=$1; shift
  PORT=$(free_port)
  AIPROF_FAKE_NVML_SYSTEM=dgxh100 AIPROF_FAKE_NVML_SCRIPT="$WORK/script" \
    taskset -c "$TOOL_CPU" "$ROOT/aiprof" run --prometheus-address "127.0.0.1:$PORT" \
    --output-dir "$WORK/otlp-$kind" --set otlp.grpc-address=off --set otlp.http-address=off \
    --nvml-library "$LIB" --set nvml.interval="$INTERVAL" "$@" >"$WORK/$kind.log" 2>&1 &
  AGENT=$!
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/metrics" >/dev/null 2>&1 && break
    sleep 1
  done
  local pid
  pid=$(pgrep -P "$AGENT" java || echo "$AGENT")
  sleep "$WARMUP"
  local c0 s0 r0 c1 s1 r1
  c0=$(cpu_ticks "$pid"); s0=$(metric aiprof_gpu_sampler_cpu_seconds_total); r0=$(metric aiprof_gpu_sampler_rounds_total)
  sleep "$WINDOW"
  c1=$(cpu_ticks "$pid"); s1=$(metric aiprof_gpu_sampler_cpu_seconds_total); r1=$(metric aiprof_gpu_sampler_rounds_total)
  local rss
  rss=$(rss_kib "$pid")
  kill "$AGENT"; wait "$AGENT" 2>/dev/null || true; AGENT=
  local hz
  hz=$(getconf CLK_TCK)
  awk -v c0="$c0" -v c1="$c1" -v hz="$hz" -v rss="$rss" -v s0="${s0:-0}" -v s1="${s1:-0}" \
    -v r0="${r0:-0}" -v r1="${r1:-0}" 'BEGIN {printf "%.2f %d %.4f %d\n", (c1-c0)/hz, rss, s1-s0, r1-r0}'
}

DEVICES=8
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
FINAL="$BENCH/results/nvml-overhead-$STAMP.md"
OUT="$WORK/result.md" # moved to $FINAL only when the run completes
{
  echo "# nvml-overhead $STAMP"
  echo
  echo "commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) CPUs, agents pinned to CPU $TOOL_CPU," \
    "window ${WINDOW}s after ${WARMUP}s warm-up, nvml.interval=$INTERVAL, fake dgxh100 ($DEVICES GPUs)"
  echo
  echo "| round | agent | CPU s (window) | VmRSS MiB | sampler CPU s | rounds | µs CPU per round | µs CPU per device sample |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$OUT"
for r in $(seq 1 "$ROUNDS"); do
  for kind in A B; do
    if [ "$kind" = A ]; then extra=(--disable jfr); else extra=(--disable jfr,nvml); fi
    say "round $r: $kind (${extra[*]})"
    read -r cpu rss scpu rounds < <(window "$kind" "${extra[@]}")
    awk -v r="$r" -v k="$kind" -v cpu="$cpu" -v rss="$rss" -v s="$scpu" -v n="$rounds" -v d="$DEVICES" \
      'BEGIN {
        pr = "-"; pd = "-"
        if (n + 0 > 0) { pr = sprintf("%.0f", s / n * 1e6); pd = sprintf("%.0f", s / n * 1e6 / d) }
        printf "| %s | %s | %.2f | %.1f | %.4f | %d | %s | %s |\n", r, k, cpu, rss / 1024, s, n, pr, pd
      }' >>"$OUT"
  done
done
{
  echo
  echo "A: --disable jfr (sched, marker, otlp, nvml); B: --disable jfr,nvml. Medians:"
  echo
  awk -F'|' 'NR > 6 && $3 ~ /A|B/ {k=$3; gsub(/ /,"",k); cpu[k]=cpu[k] " " $4; rss[k]=rss[k] " " $5; if (k=="A") {pr=pr " " $8; pd=pd " " $9}}
    function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) {t = a[i]; a[i] = a[j]; a[j] = t}; return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END {printf "- agent CPU over the window: A %s s, B %s s\n- VmRSS: A %s MiB, B %s MiB (A - B = %.1f MiB)\n- sampler CPU: %s µs per round of 8 GPUs, %s µs per device sample\n", med(cpu["A"]), med(cpu["B"]), med(rss["A"]), med(rss["B"]), med(rss["A"]) - med(rss["B"]), med(pr), med(pd)}' "$OUT"
} >>"$OUT"
cp "$OUT" "$FINAL"
cat "$FINAL"
