#!/usr/bin/env bash
# soak.sh: aiprof run under the reference workload for a long while; does anything grow?
#
# Starts the reference server (bench/reference-overhead.sh's: MiniLM embeddings, retrieval, the
# synthetic generator; its spans to the agent's OTLP receiver, its phases through libaiprof.so),
# then `./aiprof run` with every collector on and the Prometheus endpoint on a free loopback
# port, and keeps clients running against the server for the whole run. Every INTERVAL seconds it
# samples the agent: VmRSS, the Java heap in use (jcmd GC.heap_info), its CPU since the last
# sample (share of one CPU), the bytes of one /metrics scrape, the span queue and the follow
# table (from /metrics), and the agent's thread count. At the end it compares the second half of
# the run with the first: the largest RSS, heap and scrape of each half, and the series count.
# Something that grows without bound shows as a second half well above the first.
#
# Usage (root):  bench/soak.sh [-m MINUTES] [-i INTERVAL] [-n REQUESTS]
#   -m minutes of the agent's run (default 10), -i seconds between samples (default 15),
#   -n requests per client run (default 24). AIPROF_JAVA_OPTS reaches the agent's JVM.
# Writes bench/results/soak-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
MINUTES=10
INTERVAL=15
REQUESTS=24

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts 'm:i:n:h' opt; do
  case $opt in
    m) MINUTES=$OPTARG ;;
    i) INTERVAL=$OPTARG ;;
    n) REQUESTS=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done

say() { printf 'soak: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (the agent's BPF programs need it)"
[[ $MINUTES =~ ^[1-9][0-9]*$ ]] || die "invalid -m '$MINUTES': use a whole number of minutes >= 1"
[[ $INTERVAL =~ ^[1-9][0-9]*$ ]] || die "invalid -i '$INTERVAL': use a whole number of seconds >= 1"
[[ $REQUESTS =~ ^[1-9][0-9]*$ ]] || die "invalid -n '$REQUESTS': use a whole number >= 1"
for tool in setsid python3 curl; do
  command -v "$tool" >/dev/null || die "missing $tool: install it (Debian packages util-linux python3 curl)"
done

# shellcheck source=lib/reference.sh
. "$BENCH/lib/reference.sh"
reference_setup
JCMD="$(dirname "$JAVA")/jcmd"

WORK=$(mktemp -d /var/tmp/soak.XXXXXX)
SERVER_PID=""
AGENT_PID=""
CLIENTS_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$CLIENTS_PID" ] && kill "$CLIENTS_PID" 2>/dev/null || true
  [ -n "$AGENT_PID" ] && kill -- "-$AGENT_PID" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill -- "-$SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT INT TERM

PORT=$(free_port)
MPORT=$(free_port)

start_reference_server "$WORK" "$PORT" 16

say "starting the agent (Prometheus on 127.0.0.1:$MPORT)"
setsid "$ROOT/aiprof" run --prometheus-address "127.0.0.1:$MPORT" --output-dir "$WORK/otlp" \
  --set "otlp.http-address=127.0.0.1:$PORT" --set otlp.grpc-address=off \
  --set "marker.libraries=$LIB" --set "jfr.pids=$SERVER_PID" \
  >"$WORK/agent.out" 2>"$WORK/agent.err" &
AGENT_PID=$!
for _ in $(seq 300); do
  grep -q 'running until SIGTERM' "$WORK/agent.err" && break
  kill -0 "$AGENT_PID" 2>/dev/null || die "the agent failed: $(tail -5 "$WORK/agent.err")"
  sleep 0.1
done
# The agent's JVM: the launcher execs java, so the setsid child is it.
JPID=$AGENT_PID

# Clients, one after the other, for the whole run.
(
  while true; do
    "${REF[@]}" client --traces-endpoint "http://127.0.0.1:$PORT/v1/traces" \
      --server "http://127.0.0.1:$SPORT" --requests "$REQUESTS" --max-tokens 16 \
      >/dev/null 2>>"$WORK/client.err" || sleep 1
  done
) &
CLIENTS_PID=$!

HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
heap_kb() { "$JCMD" "$1" GC.heap_info 2>/dev/null | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1; }
metric() { awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {print s + 0}' "$WORK/scrape"; }

SAMPLES="$WORK/samples.tsv"
printf 't_s\trss_mb\theap_mb\tcpu_pct\tscrape_kb\tseries\tspan_queue\tspans_exported\tspans_dropped\tfollowed\tthreads\n' >"$SAMPLES"
END=$(($(date +%s) + MINUTES * 60))
START=$(date +%s)
t0=$(cpu_ticks "$JPID")
w0=$(date +%s.%N)
say "sampling every ${INTERVAL} s for $MINUTES min"
while [ "$(date +%s)" -lt "$END" ]; do
  sleep "$INTERVAL"
  kill -0 "$JPID" 2>/dev/null || die "the agent exited during the soak: $(tail -5 "$WORK/agent.err")"
  t1=$(cpu_ticks "$JPID")
  w1=$(date +%s.%N)
  curl -s "http://127.0.0.1:$MPORT/metrics" >"$WORK/scrape" || : >"$WORK/scrape"
  cpu=$(python3 -c "print(round(100 * ($t1 - $t0) / $HZ / ($w1 - $w0), 1))")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$(($(date +%s) - START))" \
    "$(($(status_kb "$JPID" VmRSS) / 1024))" \
    "$(($(heap_kb "$JPID" || echo 0) / 1024))" \
    "$cpu" \
    "$(($(wc -c <"$WORK/scrape") / 1024))" \
    "$(grep -c -v '^#' "$WORK/scrape" || true)" \
    "$(metric aiprof_export_queue_size)" \
    "$(awk '/^aiprof_export_spans_total\{.*exported/ {print $2}' "$WORK/scrape" | head -1)" \
    "$(awk '/^aiprof_export_spans_total\{.*dropped/ {print $2}' "$WORK/scrape" | head -1)" \
    "$(metric aiprof_follow_processes)" \
    "$(status_kb "$JPID" Threads)" >>"$SAMPLES"
  tail -1 "$SAMPLES" >&2
  t0=$t1
  w0=$w1
done
kill "$CLIENTS_PID" 2>/dev/null || true
CLIENTS_PID=""
kill -TERM "$AGENT_PID"
rc=0
wait "$AGENT_PID" 2>/dev/null || rc=$?
AGENT_PID=""

OUT="$BENCH/results/soak-$(date -u +%Y-%m-%dT%H%M%SZ).md"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 - "$SAMPLES" "$MINUTES" "$INTERVAL" "$COMMIT" "$rc" >"$OUT" <<'PY'
import csv, sys
path, minutes, interval, commit, rc = sys.argv[1:]
rows = list(csv.DictReader(open(path), delimiter="\t"))
print(f"# soak {commit}: aiprof run under the reference workload, {minutes} min\n")
print(f"Samples every {interval} s; the agent exited {rc} on SIGTERM.\n")
print("| " + " | ".join(rows[0].keys()) + " |" if rows else "no samples")
if rows:
    print("|" + "---|" * len(rows[0]))
    for r in rows:
        print("| " + " | ".join(r.values()) + " |")
    half = len(rows) // 2 or 1
    a, b = rows[:half], rows[half:] or rows[:half]
    print("\n| figure | first half | second half |\n|---|---|---|")
    for k in ("rss_mb", "heap_mb", "scrape_kb", "series", "span_queue", "followed", "threads"):
        fa = max(float(r[k] or 0) for r in a)
        fb = max(float(r[k] or 0) for r in b)
        print(f"| max {k} | {fa:g} | {fb:g} |")
    cpu = [float(r["cpu_pct"]) for r in rows]
    print(f"| mean cpu_pct | {sum(cpu[:half]) / half:.1f} | {sum(cpu[half:]) / max(1, len(cpu) - half):.1f} |")
PY
cat "$OUT"
