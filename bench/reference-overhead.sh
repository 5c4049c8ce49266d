#!/usr/bin/env bash
# reference-overhead.sh: what attaching aiprof costs a served model (the README's headline figure).
#
# One reference server (the demo's: MiniLM embeddings, retrieval, the synthetic generator on the
# pure-Java engine) stays up for the whole run; windows alternate A B A B ... on it, each window
# one client run of the same requests:
#   A  the agent attached: ./aiprof run, every collector on (sched, marker, otlp, jfr streaming
#      the server), the server's spans to its OTLP receiver, OTLP JSON files written; one
#      uncounted client runs (-w, default 3) after it starts, so the window sees the agent
#      warmer (its JIT compilers still take a share: the window reports it apart)
#   B  no agent: the same server and client; their spans go to the same loopback port, where a
#      minimal OTLP/HTTP sink (python3, answers 200 and discards) listens, so the workload does
#      the same export work in A and B and only the agent differs
# The order alternates (A B, then B A, ...), so slow minutes of the shared machine fall on both.
# Per window: requests/s, output tokens/s and time to first token p50 (the client's result
# line); the server's own CPU time per request (utime+stime from /proc/PID/stat: it includes
# what the agent's probes cost in the server's context, and is far less noisy than wall time on
# a shared machine); in A the agent's CPU share of one CPU over the window and its RSS (VmRSS,
# VmHWM) at the window's end. The summary adds the agent's CPU per request (its share divided by
# the throughput: it compares across machines and days, where the share rises with throughput) and
# a distribution-free interval for the median of the per-round A/B ratios (6 rounds or more), which
# says whether the run can tell a 1% slowdown from none.
#
# Usage (root):  bench/reference-overhead.sh [-r ROUNDS] [-n REQUESTS] [-t MAX_TOKENS] [-w WARMUPS]
#   -r rounds of one A and one B (default 5), -n requests per window (default 24),
#   -t tokens per request (default 16), -w uncounted client runs before each A window (default
#   3). AIPROF_JAVA_OPTS reaches the agent's JVM.
# Writes bench/results/reference-overhead-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=5
REQUESTS=24
TOKENS=16
WARMUPS=3

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts 'r:n:t:w:h' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    n) REQUESTS=$OPTARG ;;
    t) TOKENS=$OPTARG ;;
    w) WARMUPS=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done

say() { printf 'reference-overhead: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (the agent's BPF programs need it)"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "invalid -r '$ROUNDS': use a whole number >= 1"
[[ $REQUESTS =~ ^[1-9][0-9]*$ ]] || die "invalid -n '$REQUESTS': use a whole number >= 1"
[[ $TOKENS =~ ^[1-9][0-9]*$ ]] || die "invalid -t '$TOKENS': use a whole number >= 1"
[[ $WARMUPS =~ ^[0-9]+$ ]] || die "invalid -w '$WARMUPS': use a whole number >= 0"
for tool in jq setsid python3; do
  command -v "$tool" >/dev/null || die "missing $tool: install it (Debian packages jq util-linux python3)"
done

# shellcheck source=lib/reference.sh
. "$BENCH/lib/reference.sh"
reference_setup

WORK=$(mktemp -d /var/tmp/reference-overhead.XXXXXX)
SERVER_PID=""
AGENT_PID=""
SINK_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$AGENT_PID" ] && kill -- "-$AGENT_PID" 2>/dev/null || true
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill -- "-$SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT INT TERM

# A free loopback port for the agent's OTLP receiver (the server's traces endpoint in A and B).
PORT=$(free_port)

start_reference_server "$WORK" "$PORT" "$TOKENS"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU ticks of a JVM's JIT compiler threads ("C1 CompilerThreadN", "C2 CompilerThreadN").
jit_ticks() {
  local t sum=0
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ CompilerThre* | C2\ CompilerThre*) sum=$((sum + $(awk '{print $14 + $15}' "$t/stat"))) ;;
    esac
  done
  echo "$sum"
}
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# One client run; prints its result JSON.
client() {
  "${REF[@]}" client --traces-endpoint "http://127.0.0.1:$PORT/v1/traces" \
    --server "http://127.0.0.1:$SPORT" --requests "$REQUESTS" --max-tokens "$TOKENS" \
    2>>"$WORK/client.err" | sed -n 's/^result //p'
}

start_agent() {
  setsid "$ROOT/aiprof" run --no-prometheus --output-dir "$WORK/otlp" \
    --set "otlp.http-address=127.0.0.1:$PORT" --set otlp.grpc-address=off \
    --set "marker.libraries=$LIB" --set "jfr.pids=$SERVER_PID" \
    >"$WORK/agent.out" 2>"$WORK/agent.err" &
  AGENT_PID=$!
  for _ in $(seq 300); do
    grep -q 'running until SIGTERM' "$WORK/agent.err" && return 0
    kill -0 "$AGENT_PID" 2>/dev/null || die "the agent failed: $(tail -5 "$WORK/agent.err")"
    sleep 0.1
  done
  die "the agent did not start in 30 s"
}

stop_agent() {
  kill -TERM "$AGENT_PID"
  wait "$AGENT_PID" 2>/dev/null || true
  AGENT_PID=""
}

# B's stand-in for the receiver: accepts OTLP/HTTP posts and drops them.
start_sink() {
  python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
' "$PORT" &
  SINK_PID=$!
  sleep 0.5
}

stop_sink() {
  kill "$SINK_PID" 2>/dev/null || true
  wait "$SINK_PID" 2>/dev/null || true
  SINK_PID=""
}

HZ=$(getconf CLK_TCK)
ROWS=()
say "warm-up window (not counted)"
start_sink
client >/dev/null
stop_sink
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for mode in $order; do
    share="" rss="" hwm="" jit=""
    if [ "$mode" = B ]; then
      start_sink
    fi
    if [ "$mode" = A ]; then
      start_agent
      sleep 3 # the JFR stream attaches to the server (1-2.5 s)
      for _ in $(seq "$WARMUPS"); do
        client >/dev/null # warms the agent's own paths (JIT)
      done
      t0=$(cpu_ticks "$AGENT_PID")
      j0=$(jit_ticks "$AGENT_PID")
      w0=$(date +%s.%N)
    fi
    s0=$(cpu_ticks "$SERVER_PID")
    result=$(client)
    s1=$(cpu_ticks "$SERVER_PID")
    scpu=$(awk -v t="$((s1 - s0))" -v hz="$HZ" -v n="$REQUESTS" 'BEGIN {printf "%.1f", 1000 * t / hz / n}')
    if [ "$mode" = A ]; then
      t1=$(cpu_ticks "$AGENT_PID")
      j1=$(jit_ticks "$AGENT_PID")
      w1=$(date +%s.%N)
      share=$(awk -v t="$((t1 - t0))" -v hz="$HZ" -v a="$w0" -v b="$w1" 'BEGIN {printf "%.2f", 100 * t / hz / (b - a)}')
      jit=$(awk -v t="$((j1 - j0))" -v hz="$HZ" -v a="$w0" -v b="$w1" 'BEGIN {printf "%.2f", 100 * t / hz / (b - a)}')
      rss=$(($(status_kb "$AGENT_PID" VmRSS) / 1024))
      hwm=$(($(status_kb "$AGENT_PID" VmHWM) / 1024))
      stop_agent
    else
      stop_sink
    fi
    [ "$(jq -r .errors <<<"$result")" = 0 ] || die "window $r$mode had failed requests: $result"
    row=$(jq -r --arg m "$mode" --arg r "$r" --arg s "$share" --arg rss "$rss" --arg hwm "$hwm" \
      --arg c "$scpu" --arg j "$jit" \
      '"\($r) | \($m) | \(.requests_per_s) | \(.output_tokens_per_s) | \(.ttft_p50_s * 1000 | round) | \($c) | \($s) | \($j) | \($rss) | \($hwm)"' <<<"$result")
    ROWS+=("$row")
    say "round $r $mode: $row"
  done
done

OUT="$BENCH/results/reference-overhead-$(date -u +%Y-%m-%dT%H%M%SZ).md"
mkdir -p "$BENCH/results"
python3 - "$OUT" "$ROUNDS" "$REQUESTS" "$TOKENS" "$WARMUPS" "$(git -C "$ROOT" rev-parse --short HEAD)" "${AIPROF_JAVA_OPTS:-}" "${ROWS[@]}" <<'EOF'
import statistics, sys
from math import comb
out, rounds, requests, tokens, warmups, commit, opts, *rows = sys.argv[1:]
parsed = [[c.strip() for c in r.split("|")] for r in rows]
def col(mode, i):
    return [float(p[i]) for p in parsed if p[1] == mode and p[i]]
med = {m: [statistics.median(col(m, i)) for i in (2, 3, 4, 5)] for m in "AB"}
lines = [
    f"# reference-overhead {commit}",
    "",
    f"{rounds} rounds of A (agent attached, every collector) and B (no agent), alternating;"
    f" {requests} requests of {tokens} tokens per window, {warmups} uncounted runs before each A;"
    f" AIPROF_JAVA_OPTS='{opts}'.",
    "",
    "| round | mode | requests/s | output tokens/s | TTFT p50 ms | server CPU ms per request | agent CPU % of one CPU | of it JIT % | agent RSS MB | agent peak RSS MB |",
    "|---|---|---|---|---|---|---|---|---|---|",
    *[f"| {r} |" for r in rows],
    "",
    "| median | with agent (A) | without (B) | A / B |",
    "|---|---|---|---|",
]
for name, i in (("requests/s", 0), ("output tokens/s", 1), ("TTFT p50 ms", 2), ("server CPU ms per request", 3)):
    a, b = med["A"][i], med["B"][i]
    lines.append(f"| {name} | {a:.3f} | {b:.3f} | {a / b:.4f} |")
lines += [
    "",
    f"agent CPU, median over A windows: {statistics.median(col('A', 6)):.2f}% of one CPU, of which"
    f" its JIT compilers {statistics.median(col('A', 7)):.2f}%;"
    f" RSS median {statistics.median(col('A', 8)):.0f} MB, peak {max(col('A', 9)):.0f} MB",
    f"A/B of each round, requests/s: "
    + ", ".join(f"{a / b:.3f}" for a, b in zip(col("A", 2), col("B", 2))),
]
# The agent's CPU per request (share of one CPU / requests per second): unlike the share, it does
# not rise with the throughput a quieter machine gives, so runs on different days compare.
per_req = [10 * s / q for s, q in zip(col("A", 6), col("A", 2))]
per_req_nojit = [10 * (s - j) / q for s, j, q in zip(col("A", 6), col("A", 7), col("A", 2))]
lines.append(
    f"agent CPU per request, median over A windows: {statistics.median(per_req):.1f} ms"
    f" ({statistics.median(per_req_nojit):.1f} ms without its JIT compilers)"
)
# How far the run resolves the ratio: a distribution-free interval for the median of the
# per-round ratios (order statistics x(k)..x(n+1-k), k the largest with 2 P(Binom(n, 1/2) < k)
# <= 0.05); too few rounds give none.
ratios = sorted(a / b for a, b in zip(col("A", 2), col("B", 2)))
n = len(ratios)
k, cum = 0, 0.0
while True:
    cum += comb(n, k) / 2**n
    if 2 * cum > 0.05:
        break
    k += 1
if k >= 1:
    conf = 1 - 2 * sum(comb(n, i) for i in range(k)) / 2**n
    lines.append(
        f"median of the per-round A/B ratios {statistics.median(ratios):.3f}; its"
        f" {100 * conf:.0f}% interval {ratios[k - 1]:.3f}-{ratios[n - k]:.3f} ({n} rounds)"
    )
else:
    lines.append(
        f"median of the per-round A/B ratios {statistics.median(ratios):.3f}; {n} rounds are too"
        f" few for a 95% interval (6 or more give one)"
    )
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
say "wrote ${OUT#"$ROOT"/}"
