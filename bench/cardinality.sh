#!/usr/bin/env bash
# cardinality.sh: what phase names cost on /metrics and in the agent's memory, against pods.
#
# Starts `./aiprof run` (default exporters: OTLP JSON files and the Prometheus endpoint), then
# adds pod-like cgroups (kubepods.slice/kubepods-pod<uid>.slice/cri-containerd-<id>.scope under
# the cgroup v2 hierarchy) step by step, each with one process that marks NAMES phase names
# through libaiprof.so every PERIOD ms. After each step, once every pod's every name is on
# /metrics and the agent has settled, it scrapes /metrics a few times and records: series (all,
# the pods', per pod, per (pod, phase name)), bytes per scrape, the agent JVM's VmRSS and VmHWM
# and its CPU over the settle window.
#
# Usage (root):  bench/cardinality.sh [-p 1,10,50,100] [-n NAMES] [-t PERIOD_MS] [-s SECONDS]
#                                     [-d AIPROF_DIR] [-l LABEL] [-m]
#   -p pod counts, cumulative steps (default 1,10,50,100); -n phase names per pod (default 10);
#   -t each pod's round period in ms (default 1000); -s settle seconds per step (default 60: at
#   least one periodic metric export, to the files, falls in each step);
#   -d the checkout whose ./aiprof runs (default: this one; another checkout measures other code
#   with the same script); -l a label for the results file (default: that checkout's commit);
#   -m the agent's memory by JVM area at the last step (NativeMemoryTracking, jcmd), in the results.
#   PORT (default 9464) is the Prometheus port; OTEL_* variables (e.g. OTEL_METRIC_EXPORT_INTERVAL,
#   the agent's default 60 s) and AIPROF_JAVA_OPTS reach the agent.
# Writes bench/results/cardinality-<label>-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
STEPS=1,10,50,100
NAMES=10
PERIOD=1000
SETTLE=60
AIPROF_DIR=$ROOT
LABEL=""
PORT=${PORT:-9464}
SCRAPES=3
NMT=0

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts 'p:n:t:s:d:l:mh' opt; do
  case $opt in
    p) STEPS=$OPTARG ;;
    n) NAMES=$OPTARG ;;
    t) PERIOD=$OPTARG ;;
    s) SETTLE=$OPTARG ;;
    d) AIPROF_DIR=$(cd "$OPTARG" && pwd) ;;
    l) LABEL=$OPTARG ;;
    m) NMT=1 ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done

say() { printf 'cardinality: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (BPF, uprobes and cgroups need it)"
[[ $STEPS =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "invalid -p '$STEPS': use pod counts like 1,10,50"
[[ $NAMES =~ ^[1-9][0-9]*$ ]] || die "invalid -n '$NAMES': use a whole number >= 1"
[[ $PERIOD =~ ^[1-9][0-9]*$ ]] || die "invalid -t '$PERIOD': use milliseconds >= 1"
[[ $SETTLE =~ ^[0-9]+$ ]] || die "invalid -s '$SETTLE': use whole seconds"
for tool in curl gcc setsid od; do
  command -v "$tool" >/dev/null || die "missing $tool: install it (Debian: curl gcc util-linux coreutils)"
done
CG_ROOT=/sys/fs/cgroup/unified
[ -f "$CG_ROOT/cgroup.procs" ] || CG_ROOT=/sys/fs/cgroup
[ -f "$CG_ROOT/cgroup.procs" ] || die "no cgroup v2 hierarchy at /sys/fs/cgroup/unified or /sys/fs/cgroup"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "127.0.0.1:$PORT is in use: stop what listens there or choose another PORT"
fi
[ -n "$LABEL" ] || LABEL=$(git -C "$AIPROF_DIR" rev-parse --short HEAD 2>/dev/null || basename "$AIPROF_DIR")
[[ $LABEL =~ ^[A-Za-z0-9._-]+$ ]] || die "invalid -l '$LABEL': letters, digits, '.', '_' or '-'"

WORK=$(mktemp -d /tmp/cardinality.XXXXXX)
SLICE=$CG_ROOT/kubepods.slice
MADE_SLICE=0
AGENT_PID=""
PODS=()      # "uid pid cgroup-dir" per pod

cleanup() {
  local rc=$? p uid pid dir
  trap - EXIT INT TERM
  for p in "${PODS[@]}"; do
    read -r uid pid dir <<<"$p"
    kill "$pid" 2>/dev/null || true
  done
  if [ -n "$AGENT_PID" ]; then
    kill -TERM "$AGENT_PID" 2>/dev/null || true
    wait "$AGENT_PID" 2>/dev/null || true
  fi
  for p in "${PODS[@]}"; do
    read -r uid pid dir <<<"$p"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    rmdir "$dir" "$(dirname "$dir")" 2>/dev/null || true
  done
  if [ "$MADE_SLICE" = 1 ]; then rmdir "$SLICE" 2>/dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'say "failed (status $?) at line $LINENO: $BASH_COMMAND"' ERR

# As Prometheus scrapes: gzip on the wire (Accept-Encoding), text after.
scrape() { curl -sf --compressed --max-time 30 "http://127.0.0.1:$PORT/metrics" "$@"; }

# VmRSS and VmHWM of the agent in MB, and its CPU ticks (utime + stime).
rss_mb() { awk -v k="$1:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$AGENT_PID/status"; }
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$AGENT_PID/stat"; }

agent_alive() {
  kill -0 "$AGENT_PID" 2>/dev/null || { tail -n 30 "$WORK/agent.err" >&2; die "the agent exited"; }
}

# Starts pod number $1: its cgroup, and the workload moved into it before it execs.
start_pod() {
  local uid id dir pid
  uid=$(cat /proc/sys/kernel/random/uuid)
  id=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
  dir=$SLICE/kubepods-pod${uid//-/_}.slice/cri-containerd-$id.scope
  mkdir -p "$dir"
  # The shell writes itself into the cgroup, then becomes the workload.
  setsid sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" "$3" "$4" "$5"' sh \
    "$dir" "$WORK/phase-names" "$NAMES" "$PERIOD" "phase" >/dev/null 2>&1 &
  pid=$!
  PODS+=("$uid $pid $dir")
}

# The pods' uids, one a line.
pod_uids() {
  local p uid pid dir
  for p in "${PODS[@]}"; do
    read -r uid pid dir <<<"$p"
    echo "$uid"
  done
}

# How many distinct (pod, phase name) duration series of our pods /metrics shows.
names_seen() {
  scrape | awk -v uids="$WORK/uids" '
    BEGIN { while ((getline u < uids) > 0) ours[u] = 1 }
    /^aiprof_phase_duration_seconds_count\{/ {
      if (match($0, /k8s_pod_uid="[^"]*"/)) uid = substr($0, RSTART + 13, RLENGTH - 14); else next
      if (!(uid in ours)) next
      if (match($0, /aiprof_phase_name="[^"]*"/)) seen[uid "/" substr($0, RSTART, RLENGTH)] = 1
    }
    END { n = 0; for (k in seen) n++; print n }'
}

# Series counts of one scrape (file $1): all, the pods', per pod (max), per (pod, name) (max),
# phase series of other processes (not our pods).
count_series() {
  awk -v uids="$WORK/uids" '
    BEGIN { while ((getline u < uids) > 0) ours[u] = 1 }
    /^#/ || NF == 0 { next }
    { all++ }
    match($0, /k8s_pod_uid="[^"]*"/) {
      uid = substr($0, RSTART + 13, RLENGTH - 14)
      if (!(uid in ours)) { if ($0 ~ /^aiprof_phase_/) foreign++; next }
      pods++; per_pod[uid]++
      if ($0 ~ /^aiprof_phase_/ && match($0, /aiprof_phase_name="[^"]*"/)) {
        per_name[uid "/" substr($0, RSTART, RLENGTH)]++
      }
      next
    }
    /^aiprof_phase_/ { foreign++ }
    END {
      for (k in per_pod) if (per_pod[k] > mp) mp = per_pod[k]
      for (k in per_name) if (per_name[k] > mn) mn = per_name[k]
      printf "%d %d %d %d %d\n", all, pods, mp, mn, foreign
    }' "$1"
}

# ---- run ----
AIPROF=$AIPROF_DIR/aiprof
LIB=$AIPROF_DIR/marker/target/libaiprof.so
say "building aiprof once ($AIPROF setup)"
"$AIPROF" setup >"$WORK/setup.txt" 2>&1 || { cat "$WORK/setup.txt" >&2; die "aiprof setup failed"; }
[ -f "$LIB" ] || die "no $LIB: build the marker library (make -C $AIPROF_DIR/marker)"
gcc -O2 -o "$WORK/phase-names" "$BENCH/phase-names.c" -I"$AIPROF_DIR/marker/include" \
  -L"$(dirname "$LIB")" -laiprof -Wl,-rpath,"$(dirname "$LIB")"

[ -d "$SLICE" ] || { mkdir "$SLICE"; MADE_SLICE=1; }
JAVA_OPTS=${AIPROF_JAVA_OPTS:-}
if [ "$NMT" = 1 ]; then
  JCMD=$(dirname "$(readlink -f "$(command -v java)")")/jcmd
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -x "$j/bin/jcmd" ] && [ -f "$j/release" ] && grep -q '^JAVA_VERSION="2[5-9]' "$j/release" && JCMD=$j/bin/jcmd && break
  done
  [ -x "$JCMD" ] || die "-m needs jcmd of a JDK 25"
  JAVA_OPTS="$JAVA_OPTS -XX:NativeMemoryTracking=summary"
fi
say "agent: $AIPROF run (Prometheus on 127.0.0.1:$PORT, files in $WORK/otlp)"
AIPROF_JAVA_OPTS=$JAVA_OPTS setsid "$AIPROF" run \
  --output-dir "$WORK/otlp" --prometheus-address "127.0.0.1:$PORT" \
  --set otlp.grpc-address=off --set otlp.http-address=off \
  >"$WORK/agent.out" 2>"$WORK/agent.err" &
AGENT_PID=$!
for ((i = 0; i < 600; i++)); do
  scrape >/dev/null 2>&1 && break
  agent_alive
  sleep 0.1
done
[ "$i" -lt 600 ] || die "the agent's /metrics did not answer within 60 s"
sleep 2
idle_rss=$(rss_mb VmRSS)

# One line per step:
#  1 pods  2 series  3 pods' series  4 per pod (max)  5 per (pod, name) (max)  6 bytes per scrape
#  7 VmRSS MB  8 VmHWM MB  9 agent CPU % over the settle window  10 seconds until all names showed
#  11 foreign phase series (other processes that use libaiprof.so meanwhile)  12 gzip bytes on the wire
: >"$WORK/rows"
IFS=, read -ra steps <<<"$STEPS"
for n in "${steps[@]}"; do
  [ "$n" -ge "${#PODS[@]}" ] || die "steps must grow: $STEPS"
  say "step: $n pods"
  while [ "${#PODS[@]}" -lt "$n" ]; do start_pod; done
  pod_uids >"$WORK/uids"
  t0=$(date +%s)
  want=$((n * NAMES))
  until [ "$(names_seen)" -ge "$want" ]; do
    agent_alive
    [ $(($(date +%s) - t0)) -lt 180 ] || die "after 180 s not all $want (pod, name) series are on /metrics ($(names_seen))"
    sleep 1
  done
  seen_s=$(($(date +%s) - t0))
  c0=$(cpu_ticks); s0=$(date +%s.%N)
  sleep "$SETTLE"
  bytes=0
  for ((k = 1; k <= SCRAPES; k++)); do
    wire=$(scrape -o "$WORK/scrape.txt" -w '%{size_download}')
    bytes=$(wc -c <"$WORK/scrape.txt")
    [ "$k" -lt "$SCRAPES" ] && sleep 5
  done
  c1=$(cpu_ticks); s1=$(date +%s.%N)
  agent_alive
  cp "$WORK/scrape.txt" "$WORK/scrape-$n.txt"
  read -r all pods per_pod per_name foreign < <(count_series "$WORK/scrape.txt")
  cpu=$(awk -v a="$c0" -v b="$c1" -v t0="$s0" -v t1="$s1" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.1f", 100 * (b - a) / hz / (t1 - t0) }')
  echo "$n $all $pods $per_pod $per_name $bytes $(rss_mb VmRSS) $(rss_mb VmHWM) $cpu $seen_s $foreign $wire" \
    | tee -a "$WORK/rows" >&2
done

if [ "$NMT" = 1 ]; then
  "$JCMD" "$AGENT_PID" VM.native_memory summary scale=MB >"$WORK/nmt.txt" 2>&1 || true
  "$JCMD" "$AGENT_PID" GC.heap_info >>"$WORK/nmt.txt" 2>&1 || true
fi

# The series of one (pod, phase name) in the last scrape, as the budget reads them.
first=$(head -n 1 "$WORK/uids")
grep "k8s_pod_uid=\"$first\"" "$WORK/scrape-${steps[-1]}.txt" | grep '^aiprof_phase_' |
  grep 'aiprof_phase_name="phase-0"' |
  sed -E 's/^([a-z_]+)\{.*(le="[^"]*"|aiprof_phase_category="[^"]*").*$/\1{\2}/; t; s/^([a-z_]+)\{.*$/\1/' \
    >"$WORK/one-name"
overflow=$(grep -c '^aiprof_phase_names_overflow' "$WORK/scrape-${steps[-1]}.txt" || true)
commit="not a git checkout"
if git -C "$AIPROF_DIR" rev-parse -q HEAD >/dev/null 2>&1; then
  commit="commit $(git -C "$AIPROF_DIR" rev-parse --short HEAD)"
  dirty=$(git -C "$AIPROF_DIR" status --porcelain | grep -cv '^??' || true)
  commit="$commit, $dirty tracked files changed"
fi

DATE=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$BENCH/results"
RESULT="$BENCH/results/cardinality-$LABEL-$DATE.md"
{
  echo "# cardinality $LABEL $DATE"
  echo
  echo "Host: $(uname -r), $(nproc) CPUs. Agent: \`$AIPROF run\` from $AIPROF_DIR ($commit)," \
    "default exporters (OTLP JSON files, Prometheus)," \
    "OTEL_METRIC_EXPORT_INTERVAL=${OTEL_METRIC_EXPORT_INTERVAL:-60000 (default)}; idle RSS ${idle_rss} MB."
  if [ -n "$JAVA_OPTS" ]; then printf '\nAIPROF_JAVA_OPTS: `%s`\n' "$JAVA_OPTS"; fi
  otel=$(env | grep '^OTEL_' | grep -v HEADERS | sort | paste -sd' ' - || true)
  if [ -n "$otel" ]; then printf '\nEnvironment: `%s`\n' "$otel"; fi
  echo
  echo "Each pod: one process in its own pod-like cgroup marking $NAMES phase names through" \
    "libaiprof.so every $PERIOD ms (phase-names.c). Steps add pods; each step waits until every" \
    "(pod, name) is on /metrics, settles ${SETTLE}s, scrapes $SCRAPES times 5 s apart (the last" \
    "scrape is counted). Scrapes ask for gzip, as Prometheus does."
  echo
  echo "| pods | series on /metrics | the pods' series | per pod | per (pod, phase name) | bytes per scrape (text) | gzip bytes on the wire | agent VmRSS MB | agent VmHWM MB | agent CPU % | s until all names showed | other processes' phase series |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $12, $7, $8, $9, $10, $11 }' "$WORK/rows"
  echo
  echo "One (pod, phase name)'s series in the last scrape (aiprof_phase_names_overflow lines: $overflow):"
  echo
  echo '```'
  cat "$WORK/one-name"
  echo '```'
  if [ "$NMT" = 1 ]; then
    echo
    echo "The agent's memory at the last step (jcmd VM.native_memory summary, GC.heap_info):"
    echo
    echo '```'
    grep -E '^(Total:|-)' "$WORK/nmt.txt" | sed -E 's/^- +//'
    sed -n '/GC.heap_info\|def new\|tenured\|Metaspace\|class space/p' "$WORK/nmt.txt" | grep -v '^[0-9]*:$'
    echo '```'
  fi
} >"$RESULT"
cat "$RESULT"
say "wrote $RESULT"
