#!/usr/bin/env bash
# profile.sh: what the CPU sampler costs a CPU-bound workload, and what symbolising costs.
#
# One run, one fixed amount of CPU work (the profile_phases fixture: phases "alpha" and "beta"
# spin for a fixed amount of the thread's CPU time, "wait" sleeps), pinned to one CPU, timed by
# wall clock, in rounds of A B C, the order reversed every other round (A B C, C B A, ...) so
# that a drift of the machine's speed falls on both sides:
#   A  nothing attached
#   B  ./aiprof profile --collectors sched,marker,profile at 19 Hz (the default)
#   C  the same at 99 Hz
# The agent runs pinned to another CPU. The slowdown is B/A and C/A of the workload's wall time,
# per round (the A of the same round) and their median, min and max over the rounds; the
# fixture's own CPU time is fixed, so the slowdown is interference
# (the sampling interrupts and their BPF program on the workload's CPU). Symbolisation cost per
# stack comes from ProfileCostIT (printed lines "profile symbolisation: ...").
#
# Usage (root):  bench/profile.sh [-r ROUNDS]   (default 3; each round ~3 workload runs)
#   LOAD_CPU / TOOL_CPU (default 1 / 0); COLLECTORS (default sched,marker,profile; "profile" alone
#   measures the sampler without the scheduler probe). Needs the built agent (agent/target/aiprof.jar) and the
#   fixture (profiler/target/test-c/profile_phases: built by ProfilePhasesIT, or gcc by hand).
# Writes bench/results/profile-<date>.md and prints it.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=3
LOAD_CPU=${LOAD_CPU:-1}
TOOL_CPU=${TOOL_CPU:-0}
COLLECTORS=${COLLECTORS:-sched,marker,profile}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
FIXTURE=$ROOT/profiler/target/test-c/profile_phases
JAR=$ROOT/agent/target/aiprof.jar

while getopts 'r:h' opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;;
    h) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
  esac
done
say() { printf 'profile-bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }
[ "$(id -u)" -eq 0 ] || die "run as root (BPF and perf events need it)"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "invalid -r '$ROUNDS': use a whole number >= 1"
[ -x "$FIXTURE" ] || die "no $FIXTURE: run ProfilePhasesIT once (it builds it)"
[ -f "$JAR" ] || die "no $JAR: build the agent (./aiprof doctor builds it)"

work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${agent:-}" ] && kill "$agent" 2>/dev/null || true' EXIT

# One workload run: 4 rounds of the fixture's phases, pinned; prints its wall time in ms.
workload() {
  local start end
  start=$(date +%s%N)
  printf 'go\nexit\n' | taskset -c "$LOAD_CPU" "$FIXTURE" 4 >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

# Starts the agent at $1 Hz and waits until its probes are attached.
agent_on() {
  taskset -c "$TOOL_CPU" "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx192m -jar "$JAR" profile \
    --collectors "$COLLECTORS" --duration 10m --set profile.frequency="$1" \
    --set profile.files=false >"$work/agent.out" 2>&1 &
  agent=$!
  for _ in $(seq 600); do
    grep -q "probes attached" "$work/agent.out" && return 0
    sleep 0.1
  done
  die "the agent did not attach: $(tail -n 5 "$work/agent.out")"
}
agent_off() { kill -TERM "$agent" 2>/dev/null || true; wait "$agent" 2>/dev/null || true; agent=; }

declare -a A B C RB RC
load0=$(cut -d' ' -f1-3 /proc/loadavg)
none() { A+=("$(workload)"); }
hz19() { agent_on 19; B+=("$(workload)"); agent_off; }
hz99() { agent_on 99; C+=("$(workload)"); agent_off; }
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then none; hz19; hz99; else hz99; hz19; none; fi
  RB+=("$(awk -v a="${A[-1]}" -v b="${B[-1]}" 'BEGIN {printf "%.3f", b / a}')")
  RC+=("$(awk -v a="${A[-1]}" -v c="${C[-1]}" 'BEGIN {printf "%.3f", c / a}')")
  say "round $r: none ${A[-1]} ms, 19 Hz ${B[-1]} ms (${RB[-1]}), 99 Hz ${C[-1]} ms (${RC[-1]})"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
range() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 {lo=$1} {hi=$1} END {print lo "–" hi}'; }
ma=$(median "${A[@]}"); mb=$(median "${B[@]}"); mc=$(median "${C[@]}")
out=$BENCH/results/profile-$(date -u +%Y-%m-%dT%H%M%SZ).md
{
  echo "# CPU sampler overhead ($(date -u +%F), $(nproc) CPUs, load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
  echo
  echo "| run | workload wall ms (median of $ROUNDS) | ratio to none, per round: median | min–max |"
  echo "|---|---|---|---|"
  echo "| none | $ma | 1.000 | |"
  echo "| 19 Hz | $mb | $(median "${RB[@]}") | $(range "${RB[@]}") |"
  echo "| 99 Hz | $mc | $(median "${RC[@]}") | $(range "${RC[@]}") |"
  echo
  echo "Collectors: $COLLECTORS; workload on CPU $LOAD_CPU, agent on CPU $TOOL_CPU"
  echo "Rounds (none / 19 Hz / 99 Hz, ms): ${A[*]} / ${B[*]} / ${C[*]}"
  echo "Ratios per round (19 Hz / 99 Hz): ${RB[*]} / ${RC[*]}"
} | tee "$out"
