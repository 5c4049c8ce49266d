#!/usr/bin/env bash
# sched-switch-cost.sh: kernel ns per sched_switch run of the scheduler probe, without events and
# with every episode sent, side by side with bpftrace's runqlat (bench/runqlat.bt), in one run.
#
# The load of bench/sched-overhead.sh (stress-ng --switch pinned to LOAD_CPU) runs throughout; each
# round runs, in this order, windows of the same length:
#   Q  aiprof profile --min-stall 10s   (quiet: no episode is that long under the load, no events)
#   E  aiprof profile --min-stall 0     (every off-CPU episode is a ring-buffer event)
#   B  bpftrace bench/runqlat.bt        (kernel.bpf_stats_enabled=1, bpftool at start and end)
# For each jar given (default: the checkout's agent/target/aiprof.jar), Q and E run once a round,
# so a jar built before a change can be compared with one built after, A B A B on one load.
# ns/run = run_time_ns / run_cnt (BPF_ENABLE_STATS: CPU time, holds up on a loaded machine).
#
# Usage (root):  bench/sched-switch-cost.sh [-r ROUNDS] [-w SECONDS] [LABEL=JAR ...]
#   -r rounds (default 3), -w window seconds (default 5). LOAD_CPU / TOOL_CPU (default 1 / 0);
#   JAVA: a Java 25 binary (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java).
# Writes bench/results/sched-switch-cost-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=3
WINDOW=5
LOAD_CPU=${LOAD_CPU:-1}
TOOL_CPU=${TOOL_CPU:-0}

while getopts 'r:w:h' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    w) WINDOW=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  esac
done
shift $((OPTIND - 1))
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=("current=$ROOT/agent/target/aiprof.jar")

say() { printf 'sched-switch-cost: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }
[ "$(id -u)" -eq 0 ] || die "run as root"
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
for t in bpftrace bpftool jq taskset setsid stress-ng "$JAVA"; do
  command -v "$t" >/dev/null || die "missing $t"
done
for j in "${JARS[@]}"; do [ -f "${j#*=}" ] || die "no jar ${j#*=} (build it: mvn package)"; done

WORK=$(mktemp -d /tmp/sched-switch-cost.XXXXXX)
STATS_ORIG=$(sysctl -n kernel.bpf_stats_enabled)
LOAD_PID=""
TOOL_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$TOOL_PID" ] && kill -- "-$TOOL_PID" 2>/dev/null || true
  [ -n "$LOAD_PID" ] && kill -- "-$LOAD_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  sysctl -q -w kernel.bpf_stats_enabled="$STATS_ORIG" || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Prints "switch_ns switch_runs events_sent" of one aiprof window: $1 jar, $2 min-stall.
run_aiprof() {
  local out=$WORK/aiprof.out
  setsid taskset -c "$TOOL_CPU" "$JAVA" --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -Xmx192m -jar "$1" profile --duration "${WINDOW}s" \
    --min-stall "$2" --probe-stats >"$out" 2>"$WORK/aiprof.err" &
  TOOL_PID=$!
  wait "$TOOL_PID" || { cat "$WORK/aiprof.err" >&2; die "aiprof failed"; }
  TOOL_PID=""
  awk '/^ *probe: [0-9]+ events sent/ && sent == "" { sent = $2 }
    /^ *probe cost: sched_switch_(btf|raw) / { sw = $4; swr = $6 }
    END { if (sw == "") { print "no probe cost line in:" > "/dev/stderr"; system("cat " FILENAME " >&2"); exit 1 }
          print sw, swr, sent + 0 }' "$out"
}

bpftrace_progs() {
  local ids
  ids=$(awk '$1 == "prog_id:" { print $2 }' /proc/"$1"/fdinfo/* 2>/dev/null | sort -un | paste -sd, -)
  [ -n "$ids" ] || return 1
  bpftool prog show -j | jq -r --argjson ids "[$ids]" \
    '.[] | select(IN(.id; $ids[])) | "\(.id) \(.name) \(.run_time_ns // 0) \(.run_cnt // 0)"'
}

# Prints "switch_ns switch_runs" of one bpftrace window.
run_bpftrace() {
  local out=$WORK/bpftrace.out i
  sysctl -q -w kernel.bpf_stats_enabled=1
  setsid taskset -c "$TOOL_CPU" bpftrace -B line "$BENCH/runqlat.bt" >"$out" 2>&1 &
  TOOL_PID=$!
  for ((i = 0; i < 1200; i++)); do
    bpftrace_progs "$TOOL_PID" >"$WORK/bt.start" 2>/dev/null || true
    [ "$(awk '($2 == "sched_switch" || $2 == "sched_wakeup") && $4 > 0' "$WORK/bt.start" | wc -l)" -eq 2 ] && break
    sleep 0.05
  done
  [ "$i" -lt 1200 ] || { cat "$out" >&2; die "bpftrace's programs never ran"; }
  sleep "$WINDOW"
  bpftrace_progs "$TOOL_PID" >"$WORK/bt.end"
  kill -INT "$TOOL_PID"
  wait "$TOOL_PID" || true
  TOOL_PID=""
  sysctl -q -w kernel.bpf_stats_enabled="$STATS_ORIG"
  grep -q '^@usecs' "$out" || { cat "$out" >&2; die "bpftrace printed no histogram"; }
  awk 'NR == FNR { ns[$1] = $3; cnt[$1] = $4; next }
    $2 == "sched_switch" { d = $4 - cnt[$1]; printf "%.0f %d\n", d ? ($3 - ns[$1]) / d : 0, d }' \
    "$WORK/bt.start" "$WORK/bt.end"
}

say "load: taskset -c $LOAD_CPU stress-ng --switch 1 (tools on CPU $TOOL_CPU), $ROUNDS rounds of ${WINDOW}s"
setsid taskset -c "$LOAD_CPU" stress-ng --switch 1 --switch-method pipe --timeout 0 --quiet \
  >"$WORK/load.log" 2>&1 &
LOAD_PID=$!
sleep 3

# One line per window: "round label mode ns runs/s events/s".
: >"$WORK/rows"
for ((r = 1; r <= ROUNDS; r++)); do
  for j in "${JARS[@]}"; do
    label=${j%%=*}
    for mode in quiet events; do
      stall=$([ "$mode" = quiet ] && echo 10s || echo 0)
      say "round $r/$ROUNDS: $label $mode"
      read -r ns runs sent < <(run_aiprof "${j#*=}" "$stall")
      echo "$r $label $mode $ns $((runs / WINDOW)) $((sent / WINDOW))" >>"$WORK/rows"
    done
  done
  say "round $r/$ROUNDS: bpftrace"
  read -r ns runs < <(run_bpftrace)
  echo "$r bpftrace runqlat $ns $((runs / WINDOW)) -" >>"$WORK/rows"
  kill -0 "$LOAD_PID" 2>/dev/null || die "the load exited"
done

DATE=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$BENCH/results"
RESULT="$BENCH/results/sched-switch-cost-$DATE.md"
{
  echo "# sched-switch-cost $DATE"
  echo
  echo "Host: $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)." \
    "Load: \`taskset -c $LOAD_CPU stress-ng --switch 1 --switch-method pipe\`; tools on CPU $TOOL_CPU." \
    "$ROUNDS rounds of ${WINDOW}s windows; ns/run = run_time_ns / run_cnt of sched_switch."
  echo "Jars: $(printf '`%s` ' "${JARS[@]}")"
  echo
  echo "| round | tool | mode | ns per sched_switch run | runs/s | events/s |"
  echo "|---|---|---|---|---|---|"
  awk '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$WORK/rows"
  echo
  echo "## Medians"
  echo
  echo "Spread: the lowest and highest round. Ratio: each round's value over bpftrace's in the same"
  echo "round (side by side on one load), median and spread of those per-round ratios."
  echo
  echo "| tool | mode | ns per sched_switch run (median) | spread (ns) | ratio to runqlat (median) | ratio spread | rounds |"
  echo "|---|---|---|---|---|---|---|"
  awk '$2 == "bpftrace" { bt[$1] = $4 }
    { rows[++nr] = $0 }
    END {
      for (r = 1; r <= nr; r++) {
        split(rows[r], f, " ")
        k = f[2] " | " f[3]; n[k]++
        v[k, n[k]] = f[4] + 0
        q[k, n[k]] = bt[f[1]] > 0 ? (f[4] + 0) / bt[f[1]] : 0
        if (!(k in seen)) { seen[k] = 1; order[++m] = k }
      }
      for (o = 1; o <= m; o++) {
        k = order[o]; c = n[k]
        for (i = 1; i <= c; i++) { a[i] = v[k, i]; b[i] = q[k, i] }
        for (x = 2; x <= c; x++) for (y = x; y > 1 && a[y - 1] > a[y]; y--) { t = a[y]; a[y] = a[y - 1]; a[y - 1] = t }
        for (x = 2; x <= c; x++) for (y = x; y > 1 && b[y - 1] > b[y]; y--) { t = b[y]; b[y] = b[y - 1]; b[y - 1] = t }
        med = c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
        rmed = c % 2 ? b[(c + 1) / 2] : (b[c / 2] + b[c / 2 + 1]) / 2
        printf "| %s | %.0f | %.0f–%.0f | %.2f | %.2f–%.2f | %d |\n", k, med, a[1], a[c], rmed, b[1], b[c], c
      }
    }' "$WORK/rows"
} >"$RESULT"
cat "$RESULT"
say "wrote $RESULT"
