#!/usr/bin/env bash
# blockio.sh: what the aiprof block I/O probe costs, under fio at a fixed request rate.
#
# One run, one loop device of its own over a file in /dev/shm (memory-backed: the device
# sustains the rate without touching a disk), and A B A B ... on it:
#   A  ./aiprof profile --collectors sched,blockio --probe-stats for the window (the blockio
#      programs' BPF_ENABLE_STATS run time / run count, i.e. kernel CPU per request and hook),
#      with fio running inside it once the probes are attached
#   B  fio alone
# fio: random 4 KiB O_DIRECT reads, one job, psync, --rate_iops (default 10000). Per window:
# IOPS reached, mean completion latency, fio's own CPU (usr+sys %). The ratio A/B of IOPS is the
# throughput loss; at a rate the device sustains it stays ~1, so the latency and CPU columns say
# what the probe adds per request. Use -u (unthrottled) to measure the loss at saturation.
#
# Usage (root):  bench/blockio.sh [-r ROUNDS] [-w SECONDS] [-i IOPS] [-u]
#   -r rounds (default 3), -w window seconds (default 10), -i fio's rate (default 10000),
#   -u no rate limit. AIPROF_JAVA_OPTS reaches the agent JVM.
# Writes bench/results/blockio-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=3
WINDOW=10
IOPS=10000

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts 'r:w:i:uh' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    w) WINDOW=$OPTARG ;;
    i) IOPS=$OPTARG ;;
    u) IOPS=0 ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done

say() { printf 'blockio-bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (BPF and losetup need it)"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "invalid -r '$ROUNDS': use a whole number >= 1"
[[ $WINDOW =~ ^[1-9][0-9]*$ ]] || die "invalid -w '$WINDOW': use whole seconds >= 1"
[[ $IOPS =~ ^[0-9]+$ ]] || die "invalid -i '$IOPS': use a whole number of requests per second"
for tool in fio jq losetup; do
  command -v "$tool" >/dev/null || die "$tool not found (Debian: apt-get install ${tool/losetup/util-linux}; ./aiprof setup installs fio)"
done
[ -f "$ROOT/agent/target/aiprof.jar" ] || die "no agent/target/aiprof.jar: build first (./aiprof doctor builds it)"

WORK=$(mktemp -d /dev/shm/aiprof-blockio-bench.XXXXXX)
LOOP=""
cleanup() {
  [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
truncate -s 256M "$WORK/disk.img"
LOOP=$(losetup --find --show "$WORK/disk.img")
dd if=/dev/zero of="$LOOP" bs=1M count=256 oflag=direct status=none # allocate the tmpfs pages
say "device $LOOP over $WORK/disk.img; $ROUNDS rounds of ${WINDOW}s at ${IOPS:-unlimited} IOPS"

java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
rate=()
[ "$IOPS" -gt 0 ] && rate=(--rate_iops="$IOPS")

fio_window() { # $1: output json
  fio --name=blockio --filename="$LOOP" --direct=1 --rw=randread --bs=4k --ioengine=psync \
    --time_based --runtime="$WINDOW" "${rate[@]}" --output-format=json >"$1"
}

fio_row() { # $1: json; prints iops clat_us cpu%
  jq -r '.jobs[0] | "\(.read.iops | floor) \(.read.clat_ns.mean / 10 | round / 100) \(.usr_cpu + .sys_cpu | . * 10 | round / 10)"' "$1"
}

a_window() { # $1: round; fio inside an aiprof profile window
  local out="$WORK/profile-$1.txt" err="$WORK/profile-$1.err"
  # shellcheck disable=SC2086
  "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    ${AIPROF_JAVA_OPTS:-} -jar "$ROOT/agent/target/aiprof.jar" profile \
    --duration "$((WINDOW + 4))s" --collectors sched,blockio --probe-stats >"$out" 2>"$err" &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q "probes attached" "$err" && break
    sleep 0.1
  done
  grep -q "probes attached" "$err" || die "the agent did not attach: $(cat "$err")"
  fio_window "$WORK/a-$1.json"
  wait "$pid"
}

rows=()
costs=()
for r in $(seq 1 "$ROUNDS"); do
  say "round $r: A (agent)"
  a_window "$r"
  read -r ai ac acpu < <(fio_row "$WORK/a-$r.json")
  say "round $r: B (no agent)"
  fio_window "$WORK/b-$r.json"
  read -r bi bc bcpu < <(fio_row "$WORK/b-$r.json")
  rows+=("| $r | $ai | $bi | $(jq -n "$ai / $bi * 10000 | round / 10000") | $ac | $bc | $acpu | $bcpu |")
  costs+=("$(grep 'probe cost: blockio' "$WORK/profile-$r.txt" | sed "s/^ */round $r: /")")
done

date=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$BENCH/results"
out="$BENCH/results/blockio-$date.md"
{
  echo "# bench/blockio.sh, $date"
  echo
  echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $ROUNDS rounds"
  echo "of ${WINDOW}s, fio randread 4 KiB O_DIRECT psync at ${IOPS} IOPS (0: unlimited) on $LOOP"
  echo "(a loop device over /dev/shm)."
  echo
  echo "| round | IOPS A (agent) | IOPS B | A / B | clat µs A | clat µs B | fio CPU % A | fio CPU % B |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Kernel cost per run of each blockio program (BPF_ENABLE_STATS, window A):"
  echo
  echo '```'
  printf '%s\n' "${costs[@]}"
  echo '```'
} >"$out"
cat "$out"
