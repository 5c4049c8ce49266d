#!/usr/bin/env bash
# sched-overhead.sh: what the aiprof scheduler probe costs, side by side with bpftrace.
#
# One run, one steady scheduler-heavy load pinned to one CPU, and A B N A B N ... on it:
#   A  ./aiprof profile --duration <window> --min-stall 0 --probe-stats
#      (every off-CPU episode becomes a ring-buffer event; the agent prints the kernel's
#      BPF_ENABLE_STATS cost per program, its own CPU time per million events and its RSS)
#   B  bpftrace bench/runqlat.bt for the same window, with kernel.bpf_stats_enabled=1;
#      run_time_ns / run_cnt of its programs read with bpftool at the start and end of the window
#   N  nothing attached: how fast the load switches untraced
# Both tools run pinned to another CPU than the load. Context switches per second come from
# /proc/stat "ctxt" over each window, to sanity-check the per-event numbers.
#
# Usage (root):  bench/sched-overhead.sh [-r ROUNDS] [-w SECONDS] [-l switch|pipe|messaging]
#   -r rounds (default 3), -w window seconds (default 10), -l load (default switch:
#   stress-ng --switch; pipe: perf bench sched pipe; messaging: perf bench sched messaging)
#   LOAD_CPU / TOOL_CPU (default 1 / 0) choose the CPUs; AIPROF_JAVA_OPTS reaches the agent JVM.
# Writes bench/results/sched-overhead-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=3
WINDOW=10
LOAD=switch
LOAD_CPU=${LOAD_CPU:-1}
TOOL_CPU=${TOOL_CPU:-0}
WARMUP=3

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts 'r:w:l:h' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    w) WINDOW=$OPTARG ;;
    l) LOAD=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done

say() { printf 'sched-overhead: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (BPF, bpftrace and kernel.bpf_stats_enabled need it)"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "invalid -r '$ROUNDS': use a whole number >= 1"
[[ $WINDOW =~ ^[1-9][0-9]*$ ]] || die "invalid -w '$WINDOW': use whole seconds >= 1"

case $LOAD in
  # Two processes ping-ponging one byte through pipes: every switch is a wakeup + switch-in.
  switch) LOAD_CMD=(stress-ng --switch 1 --switch-method pipe --timeout 0 --quiet) ;;
  pipe) LOAD_CMD=(perf bench sched pipe -l 2000000000) ;;
  # Many senders/receivers on one CPU: realistic fan-out, but only a few thousand switches/s here.
  messaging) LOAD_CMD=(perf bench sched messaging -g 4 -l 1000000000) ;;
  *) die "invalid -l '$LOAD': use switch, pipe or messaging" ;;
esac
for tool in bpftrace bpftool jq taskset setsid "${LOAD_CMD[0]}"; do
  command -v "$tool" >/dev/null ||
    die "missing $tool: install it (Debian packages bpftrace bpftool jq util-linux stress-ng linux-perf)"
done

WORK=$(mktemp -d /tmp/sched-overhead.XXXXXX)
STATS_ORIG=$(sysctl -n kernel.bpf_stats_enabled)
LOAD_PID=""
TOOL_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # Each background command runs in its own session (setsid: in a script without job control it
  # does not fork, so $! is the session and process-group leader): kill its whole group.
  [ -n "$TOOL_PID" ] && kill -- "-$TOOL_PID" 2>/dev/null || true
  [ -n "$LOAD_PID" ] && kill -- "-$LOAD_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  sysctl -q -w kernel.bpf_stats_enabled="$STATS_ORIG" || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ctxt() { awk '$1 == "ctxt" { print $2 }' /proc/stat; }
now() { date +%s.%N; }
per_sec() { awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" 'BEGIN { printf "%.0f", (b - a) / (t1 - t0) }'; }

load_alive() {
  kill -0 "$LOAD_PID" 2>/dev/null || die "the load ($LOAD) exited; see $WORK/load.log"
}

# Waits until FILE contains PATTERN (or PID exits, or 60 s pass).
wait_for() {
  local file=$1 pattern=$2 pid=$3 i
  for ((i = 0; i < 1200; i++)); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# ---- A: aiprof ----
# Prints one line "switch_ns switch_runs wakeup_ns wakeup_runs s_per_million events sent dropped
# rss_mb peak_mb ctxt_per_s s_per_million_without_jit". Call it with stdout redirected, not in $(...): it sets TOOL_PID
# for the trap, and die must end the script.
run_aiprof() {
  local out=$WORK/aiprof.out err=$WORK/aiprof.err c0 c1 t0 t1
  setsid taskset -c "$TOOL_CPU" "$ROOT/aiprof" profile --duration "${WINDOW}s" --min-stall 0 \
    --probe-stats >"$out" 2>"$err" &
  TOOL_PID=$!
  # The agent prints "profiling for ..." just before it attaches; the window starts right after.
  wait_for "$err" 'profiling for' "$TOOL_PID" || { cat "$err" >&2; die "aiprof did not start"; }
  c0=$(ctxt); t0=$(now)
  sleep "$WINDOW"
  c1=$(ctxt); t1=$(now)
  wait "$TOOL_PID" || { cat "$err" >&2; die "aiprof failed"; }
  TOOL_PID=""
  load_alive
  cp "$out" "$WORK/aiprof-round$1.txt"
  awk -v cps="$(per_sec "$c0" "$c1" "$t0" "$t1")" '
    /^ *probe: [0-9]+ events sent/ && sent == "" { sent = $2; dropped = $5 }
    /^agent: / {
      for (i = 1; i <= NF; i++) {
        if ($i == "events") events = $(i - 1)
        if ($i == "per" && $(i + 1) == "million),") spm = substr($(i - 2), 2)
        if ($i == "per" && $(i + 1) == "million" && $(i + 2) == "without") nojit = substr($(i - 2), 2)
        if ($i == "RSS") rss = $(i + 1)
        if ($i == "(peak") peak = $(i + 1)
      }
    }
    /^ *probe cost: sched_switch_(btf|raw) / { sw = $4; swr = $6 }
    /^ *probe cost: sched_wakeup_(btf|raw) / { wk = $4; wkr = $6 }
    END {
      if (sw == "" || spm == "" || nojit == "") { print "missing probe cost or agent line" > "/dev/stderr"; exit 1 }
      print sw, swr, wk, wkr, spm, events, sent, dropped, rss, peak, cps, nojit
    }' "$out"
}

# ---- B: bpftrace ----
# run_time_ns and run_cnt of the bpftrace process's programs, one "id name ns cnt" a line.
bpftrace_progs() {
  local ids
  ids=$(awk '$1 == "prog_id:" { print $2 }' /proc/"$1"/fdinfo/* 2>/dev/null | sort -un | paste -sd, -)
  [ -n "$ids" ] || return 1
  bpftool prog show -j | jq -r --argjson ids "[$ids]" \
    '.[] | select(IN(.id; $ids[])) | "\(.id) \(.name) \(.run_time_ns // 0) \(.run_cnt // 0)"'
}

# Prints one line "switch_ns switch_runs wakeup_ns wakeup_runs peak_rss_mb ctxt_per_s"
# (same calling rule as run_aiprof).
run_bpftrace() {
  local out=$WORK/bpftrace.out c0 c1 t0 t1 hwm
  sysctl -q -w kernel.bpf_stats_enabled=1
  setsid taskset -c "$TOOL_CPU" bpftrace -B line "$BENCH/runqlat.bt" >"$out" 2>&1 &
  TOOL_PID=$!
  wait_for "$out" 'Tracing CPU scheduler' "$TOOL_PID" || { cat "$out" >&2; die "bpftrace did not start"; }
  # bpftrace runs BEGIN before it attaches the other probes: wait until both programs have run.
  local i
  for ((i = 0; i < 600; i++)); do
    bpftrace_progs "$TOOL_PID" >"$WORK/bt.start" || true
    [ "$(awk '($2 == "sched_switch" || $2 == "sched_wakeup") && $4 > 0' "$WORK/bt.start" | wc -l)" -eq 2 ] && break
    sleep 0.05
  done
  [ "$i" -lt 600 ] || { cat "$WORK/bt.start" >&2; die "bpftrace's sched_switch/sched_wakeup programs never ran"; }
  c0=$(ctxt); t0=$(now)
  sleep "$WINDOW"
  bpftrace_progs "$TOOL_PID" >"$WORK/bt.end"
  c1=$(ctxt); t1=$(now)
  hwm=$(awk '$1 == "VmHWM:" { printf "%.0f", $2 / 1024 }' /proc/"$TOOL_PID"/status)
  kill -INT "$TOOL_PID"
  wait "$TOOL_PID" || true
  TOOL_PID=""
  sysctl -q -w kernel.bpf_stats_enabled="$STATS_ORIG"
  grep -q '^@usecs' "$out" || { cat "$out" >&2; die "bpftrace printed no histogram"; }
  load_alive
  cp "$out" "$WORK/bpftrace-round$1.txt"
  # sched_wakeup_new is named "sched_wakeup_ne" (16-byte names): match the exact names.
  awk -v hwm="$hwm" -v cps="$(per_sec "$c0" "$c1" "$t0" "$t1")" '
    NR == FNR { ns[$1] = $3; cnt[$1] = $4; next }
    { dns = $3 - ns[$1]; dcnt = $4 - cnt[$1] }
    $2 == "sched_switch" { sw = dcnt ? dns / dcnt : 0; swr = dcnt }
    $2 == "sched_wakeup" { wk = dcnt ? dns / dcnt : 0; wkr = dcnt }
    END { printf "%.0f %d %.0f %d %s %s\n", sw, swr, wk, wkr, hwm, cps }' \
    "$WORK/bt.start" "$WORK/bt.end"
}

# ---- N: no tracer (how fast the load switches untraced) ----
# Prints one line "ctxt_per_s".
run_baseline() {
  local c0 c1 t0 t1
  c0=$(ctxt); t0=$(now)
  sleep "$WINDOW"
  c1=$(ctxt); t1=$(now)
  load_alive
  per_sec "$c0" "$c1" "$t0" "$t1"
  echo
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# ---- run ----
say "building aiprof once (./aiprof setup)"
"$ROOT/aiprof" setup >"$WORK/setup.txt" 2>&1 || { cat "$WORK/setup.txt" >&2; die "aiprof setup failed"; }

say "load: taskset -c $LOAD_CPU ${LOAD_CMD[*]} (tools on CPU $TOOL_CPU), $ROUNDS rounds of ${WINDOW}s"
setsid taskset -c "$LOAD_CPU" "${LOAD_CMD[@]}" >"$WORK/load.log" 2>&1 &
LOAD_PID=$!
sleep "$WARMUP"
load_alive

# One line per round; the column numbers are used by the report below.
#  1 round   2 A switch ns  3 B switch ns  4 ratio   5 A wakeup ns  6 B wakeup ns  7 ratio
#  8 s/1M    9 events      10 events/s    11 dropped 12 RSS MB     13 peak RSS MB 14 bpftrace peak MB
# 15 ctxt/s A 16 A switch runs/s 17 ctxt/s B 18 B switch runs/s 19 ctxt/s untraced
# 20 s/1M without the JIT compiler threads
: >"$WORK/rows"
for ((r = 1; r <= ROUNDS; r++)); do
  say "round $r/$ROUNDS: A aiprof"
  run_aiprof "$r" >"$WORK/a.res"
  read -r a_sw a_swr a_wk _ spm events _ dropped rss peak a_cps nojit <"$WORK/a.res"
  say "round $r/$ROUNDS: B bpftrace"
  run_bpftrace "$r" >"$WORK/b.res"
  read -r b_sw b_swr b_wk _ b_hwm b_cps <"$WORK/b.res"
  say "round $r/$ROUNDS: no tracer"
  n_cps=$(run_baseline)
  echo "$r $a_sw $b_sw $(ratio "$a_sw" "$b_sw") $a_wk $b_wk $(ratio "$a_wk" "$b_wk") $spm $events" \
    "$((events / WINDOW)) $dropped $rss $peak $b_hwm $a_cps $((a_swr / WINDOW)) $b_cps" \
    "$((b_swr / WINDOW)) $n_cps $nojit" >>"$WORK/rows"
done

# Median of every column, as one line in the same column order (round column: "median").
awk '{ for (i = 2; i <= NF; i++) v[i, NR] = $i; n = NF }
  END {
    printf "median"
    for (i = 2; i <= n; i++) {
      m = 0
      for (r = 1; r <= NR; r++) a[++m] = v[i, r] + 0
      for (x = 2; x <= m; x++) for (y = x; y > 1 && a[y - 1] > a[y]; y--) { t = a[y]; a[y] = a[y - 1]; a[y - 1] = t }
      med = m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
      printf " %s", (med >= 100 || med == int(med) ? sprintf("%.0f", med) : sprintf("%.3g", med))
    }
    print ""
  }' "$WORK/rows" >"$WORK/median"

# Prints the given columns of every round and of the median as Markdown table rows.
rows() {
  awk -v cols="$*" 'BEGIN { n = split(cols, c, " ") }
    { printf "| %s |", ($1 == "median" ? "**median**" : $1)
      for (i = 1; i <= n; i++) printf($1 == "median" ? " **%s** |" : " %s |", $(c[i]))
      print "" }' "$WORK/rows" "$WORK/median"
}
col() { awk -v c="$1" '{ print $c }' "$WORK/median"; }
verdict() { awk -v v="$1" -v lim="$2" 'BEGIN { print (v <= lim ? "met" : "MISSED") }'; }

DATE=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$BENCH/results"
RESULT="$BENCH/results/sched-overhead-$DATE.md"
{
  echo "# sched-overhead $DATE"
  echo
  echo "Host: $(uname -r), $(nproc) CPUs. Load: \`taskset -c $LOAD_CPU ${LOAD_CMD[*]}\`;" \
    "aiprof and bpftrace pinned to CPU $TOOL_CPU. $ROUNDS rounds of A (aiprof), B (bpftrace)," \
    "N (no tracer); ${WINDOW}s windows. ns/run = run_time_ns / run_cnt (BPF_ENABLE_STATS)."
  if [ -n "${AIPROF_JAVA_OPTS:-}" ]; then printf '\nAIPROF_JAVA_OPTS: `%s`\n' "$AIPROF_JAVA_OPTS"; fi
  echo
  echo "## Targets (medians)"
  echo
  echo "| target | measured | |"
  echo "|---|---|---|"
  echo "| kernel ns/run, sched_switch: aiprof <= bpftrace | $(col 2) vs $(col 3) (ratio $(col 4)) | $(verdict "$(col 4)" 1) |"
  echo "| kernel ns/run, sched_wakeup: aiprof <= bpftrace | $(col 5) vs $(col 6) (ratio $(col 7)) | $(verdict "$(col 7)" 1) |"
  echo "| agent CPU <= 0.1 s per million ring-buffer events (steady state: JIT compilation excluded) | $(col 20) s ($(col 8) s with it) | $(verdict "$(col 20)" 0.1) |"
  echo "| agent RSS <= 150 MB (peak) | $(col 13) MB | $(verdict "$(col 13)" 150) |"
  echo
  echo "## Kernel cost per program run (ns)"
  echo
  echo "| round | aiprof sched_switch | bpftrace sched_switch | ratio | aiprof sched_wakeup | bpftrace sched_wakeup | ratio |"
  echo "|---|---|---|---|---|---|---|"
  rows 2 3 4 5 6 7
  echo
  echo "## Agent (user space) and memory"
  echo
  echo "The JIT compiler threads' CPU (C1/C2, from their schedstat) is a warm-up cost of the agent's"
  echo "first minute, not a cost per event; both figures are given."
  echo
  echo "| round | agent CPU s per 1M events | without JIT | events received | events/s | dropped | agent RSS MB | agent peak RSS MB | bpftrace peak RSS MB |"
  echo "|---|---|---|---|---|---|---|---|---|"
  rows 8 20 9 10 11 12 13 14
  echo
  echo "## Sanity check: context switches per second"
  echo
  echo "/proc/stat ctxt over each window (both CPUs) next to the sched_switch program's runs per second;"
  echo "the untraced column shows what each tracer costs the load as a whole."
  echo
  echo "| round | ctx sw/s, aiprof | aiprof sched_switch runs/s | ctx sw/s, bpftrace | bpftrace sched_switch runs/s | ctx sw/s, untraced |"
  echo "|---|---|---|---|---|---|"
  rows 15 16 17 18 19
} >"$RESULT"
cat "$RESULT"
say "wrote $RESULT"
