#!/usr/bin/env bash
# Start-up to probes attached: wall time from exec to the agent's "probes attached" line of
# `aiprof profile --duration 1s`, for the source checkout's launcher (./aiprof, the JDK, no cache)
# and the packaged one (deploy/target/dist: jlinked runtime) with and without its AOT cache; and,
# to find where the time goes, the packaged one with the scheduler collector only, `--version`
# (JVM start and CLI) and `doctor` (every BPF feature probe). In turn (A B C ... A B C ...), so
# that the machine's drift hits each alike.
#
# Usage (root, after mvn package): bench/startup.sh [-r ROUNDS] (default 7)
# Writes bench/results/startup-<date>.md: every round and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=7
while getopts r: o; do
  case $o in
    r) ROUNDS=$OPTARG ;;
    *) echo "usage: $0 [-r ROUNDS]" >&2; exit 2 ;;
  esac
done
PKG=$(ls -d deploy/target/dist/aiprof-*/ 2>/dev/null | head -1)
[ -n "$PKG" ] && [ -x "$PKG/bin/aiprof" ] || { echo "no deploy/target/dist: run mvn package" >&2; exit 2; }
[ -f agent/target/aiprof.jar ] || { echo "no agent/target/aiprof.jar: run mvn package" >&2; exit 2; }
OUT=bench/results/startup-$(date -u +%Y-%m-%dT%H%M%SZ).md
exec python3 - "$ROUNDS" "$PKG" "$OUT" <<'PY'
import os, statistics, subprocess, sys, time
rounds, pkg, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
prof = ["profile", "--duration", "1s"]
launcher = pkg + "bin/aiprof"
# (name, command, environment, whether to time to the "probes attached" line or to the exit)
variants = [
    ("checkout ./aiprof (JDK, no cache)", ["./aiprof"] + prof, {}, True),
    ("package, AOT cache off", [launcher] + prof, {"AIPROF_AOT": "off"}, True),
    ("package, AOT cache", [launcher] + prof, {}, True),
    ("package, AOT cache, sched collector only", [launcher] + prof + ["--collectors", "sched"], {}, True),
    ("package, AOT cache: --version (JVM, CLI, exit)", [launcher, "--version"], {}, False),
    ("package, AOT cache: doctor (feature probes, exit)", [launcher, "doctor"], {}, False),
]
def once(cmd, env, attach):
    e = dict(os.environ, **env)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=e, text=True)
    attached = None
    for line in p.stderr:
        if attached is None and "probes attached" in line:
            attached = time.monotonic() - t0
    rc = p.wait()
    total = time.monotonic() - t0
    if rc != 0 or (attach and attached is None):
        sys.exit(f"{' '.join(cmd)} failed (exit {rc}, attached line {'seen' if attached else 'missing'})")
    return attached if attach else total, total
res = {v[0]: [] for v in variants}
once(variants[0][1], {}, True)  # warm the page cache
for r in range(rounds):
    for name, cmd, env, attach in variants:
        res[name].append(once(cmd, env, attach))
load = open("/proc/loadavg").read().split()[0]
lines = [f"# startup: exec to probes attached (`aiprof {' '.join(prof)}`)", "",
         f"{rounds} rounds, variants in turn; seconds; host {os.uname().release}, "
         f"{os.cpu_count()} CPUs, load average {load} at the end", "",
         "| variant | to attached or exit (median) | min | max | exit (median) |", "|---|---|---|---|---|"]
for name, _, _, _ in variants:
    a = [x[0] for x in res[name]]; t = [x[1] for x in res[name]]
    lines.append(f"| {name} | {statistics.median(a):.3f} | {min(a):.3f} | {max(a):.3f} | {statistics.median(t):.3f} |")
base = [x[0] for x in res[variants[0][0]]]
aot = [x[0] for x in res[variants[2][0]]]
lines += ["", f"AOT package / checkout, pair by pair (median): "
          f"{statistics.median(a / b for a, b in zip(aot, base)):.2f}", "", "Rounds:", ""]
for r in range(rounds):
    lines.append("- " + "; ".join(f"{res[n][r][0]:.3f}" for n, _, _, _ in variants))
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
print("written", out)
PY
