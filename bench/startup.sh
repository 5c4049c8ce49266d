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
TICK = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    # utime stime cutime cstime of the process (all its threads, and children it waited for)
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in f[11:15]) / TICK
def once(cmd, env, attach):
    e = dict(os.environ, **env)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=e, text=True)
    attached, attached_cpu = None, None
    for line in p.stderr:
        if attached is None and "probes attached" in line:
            attached = time.monotonic() - t0
            attached_cpu = cpu(p.pid)
    _, status, usage = os.wait4(p.pid, 0)
    rc = os.waitstatus_to_exitcode(status)
    p.returncode = rc
    total = time.monotonic() - t0
    total_cpu = usage.ru_utime + usage.ru_stime
    if rc != 0 or (attach and attached is None):
        sys.exit(f"{' '.join(cmd)} failed (exit {rc}, attached line {'seen' if attached else 'missing'})")
    return (attached, attached_cpu) if attach else (total, total_cpu)
res = {v[0]: [] for v in variants}
once(variants[0][1], {}, True)  # warm the page cache
for r in range(rounds):
    for name, cmd, env, attach in variants:
        res[name].append(once(cmd, env, attach))
load = open("/proc/loadavg").read().split()[0]
lines = [f"# startup: exec to probes attached (`aiprof {' '.join(prof)}`)", "",
         f"{rounds} rounds, variants in turn; seconds; host {os.uname().release}, "
         f"{os.cpu_count()} CPUs, load average {load} at the end", "",
         "Wall: exec to the line (or to the exit); CPU: the process's user+sys seconds, all its threads"
         " (the JIT's included) and its waited-for children, at that moment: on a shared machine the"
         " CPU figure moves far less than the wall one.", "",
         "| variant | wall median | wall min | wall max | CPU median | CPU min | CPU max |",
         "|---|---|---|---|---|---|---|"]
for name, _, _, _ in variants:
    a = [x[0] for x in res[name]]; c = [x[1] for x in res[name]]
    lines.append(f"| {name} | {statistics.median(a):.3f} | {min(a):.3f} | {max(a):.3f} "
                 f"| {statistics.median(c):.3f} | {min(c):.3f} | {max(c):.3f} |")
def ratio(i, j, k):
    return statistics.median(a[k] / b[k] for a, b in zip(res[variants[i][0]], res[variants[j][0]]))
lines += ["", f"AOT package / checkout, pair by pair (median): wall {ratio(2, 0, 0):.2f}, "
          f"CPU {ratio(2, 0, 1):.2f}; AOT on / off: wall {ratio(2, 1, 0):.2f}, CPU {ratio(2, 1, 1):.2f}",
          "", "Rounds (wall/CPU):", ""]
for r in range(rounds):
    lines.append("- " + "; ".join(f"{res[n][r][0]:.3f}/{res[n][r][1]:.3f}" for n, _, _, _ in variants))
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
print("written", out)
PY
