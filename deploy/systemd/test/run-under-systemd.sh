#!/bin/bash
# Runs deploy/systemd/aiprof.service for real under systemd 252 booted as PID 1 of private pid,
# mount, uts and ipc namespaces (as root), with test/aiprof-test.conf as its drop-in and the source
# checkout's launcher as /opt/aiprof/bin/aiprof (a tmpfs /opt there). Checks: systemd-analyze
# verify with empty stderr; the unit becomes active (Type=notify: only after READY=1); the
# watchdog is fed past WatchdogSec; every thread's bounding set is the unit's and its other sets
# the run-time set; kill -9 of the agent is followed by a restart, and so is a hung agent
# (SIGSTOP: the watchdog fires); stop ends it cleanly. Prints the systemd-analyze security score.
# Exit 0 when every check passes; each check prints one "ok"/"FAIL" line. The host keeps nothing:
# /run, /var/lib, /opt and /etc/systemd/system are tmpfs inside the namespace.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CHECKOUT=$(cd "$HERE/../../.." && pwd)
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
[ -z "${KEEP:-}" ] || echo "work: $WORK (KEEP set: left in place)"
mkdir -p "$WORK/units/aiprof.service.d"
cp "$HERE/../aiprof.service" "$WORK/units/"
cp "$HERE/aiprof-test.conf" "$WORK/units/aiprof.service.d/"
FAILED=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; FAILED=1; fi; }

setsid unshare --pid --fork --mount --uts --ipc --propagation private bash -c "
  mount -t proc proc /proc
  mount -t tmpfs tmpfs /run
  mount -t tmpfs tmpfs /etc/systemd/system
  mount -t tmpfs tmpfs /var/lib
  mount -t tmpfs tmpfs /opt
  mkdir -p /opt/aiprof/bin /opt/aiprof/checkout
  # The unit's PrivateTmp/ProtectHome would hide a checkout under /tmp, /root or /home: bind it here.
  mount --bind '$CHECKOUT' /opt/aiprof/checkout
  ln -s /opt/aiprof/checkout/aiprof /opt/aiprof/bin/aiprof
  cp -r '$WORK/units/.' /etc/systemd/system/
  hostname aiprof-systemd-test
  export container=aiprof-systemd-test
  exec /lib/systemd/systemd --system --unit=aiprof.service --log-target=console --log-level=info
" > "$WORK/systemd.log" 2>&1 < /dev/null &
UNSHARE=$!
SD=
for _ in $(seq 1 100); do
  SD=$(pgrep -P "$UNSHARE" -x systemd || true)
  [ -n "$SD" ] && break
  sleep 0.1
done
[ -n "$SD" ] || { echo "FAIL systemd did not start"; cat "$WORK/systemd.log"; exit 1; }
in_ns() { nsenter -t "$SD" -m -p -u "$@"; }
prop() { in_ns systemctl show -P "$1" aiprof.service 2>/dev/null; }
finish() { in_ns systemctl exit >/dev/null 2>&1 || true; wait "$UNSHARE" 2>/dev/null || true; }
trap 'finish; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
until_true() { # seconds, condition
  local end=$((SECONDS + $1))
  while [ $SECONDS -lt $end ]; do eval "$2" && return 0; sleep 0.2; done
  return 1
}

check "systemd is up" "until_true 20 '[ -n \"\$(prop ActiveState)\" ]'"
in_ns systemd-analyze verify aiprof.service > "$WORK/verify.out" 2> "$WORK/verify.err" || true
check "systemd-analyze verify: empty stderr" "[ ! -s '$WORK/verify.err' ]"
[ -s "$WORK/verify.err" ] && sed 's/^/     /' "$WORK/verify.err"

check "active (READY=1 received)" "until_true 60 '[ \"\$(prop ActiveState)\" = active ]'"
check "status text from the agent" "[ \"\$(prop StatusText)\" = 'probes attached' ]"
PID1=$(prop MainPID)
check "BPF collectors run under the hardening (sched, marker, cuda)" \
  "in_ns grep 'aiprof run: collectors' /run/aiprof-test.log | grep 'sched (running)' | grep 'marker (running)' | grep -q 'cuda (running)'"
check "capability line in the agent's log" \
  "in_ns grep -q 'capabilities after attach: kept CAP_SYS_ADMIN' /run/aiprof-test.log"
BND=$(in_ns bash -c "cat /proc/$PID1/task/*/status" | awk '/^CapBnd/ {print $2}' | sort -u)
check "every thread's bounding set is the unit's (CapBnd $BND)" "[ '$BND' = 00000000c0280000 ] || [ '$BND' = 000000c000280000 ]"
# After attach every thread (the JVM's own too) keeps only the run-time set: CAP_SYS_ADMIN and
# CAP_SYS_PTRACE effective and permitted, nothing inheritable or ambient.
SETS=$(in_ns bash -c "cat /proc/$PID1/task/*/status" | awk '/^Cap(Inh|Prm|Eff|Amb)/ {print $1 $2}' | sort -u | tr '\n' ' ')
check "every thread holds only the run-time set ($SETS)" \
  "[ '$SETS' = 'CapAmb:0000000000000000 CapEff:0000000000280000 CapInh:0000000000000000 CapPrm:0000000000280000 ' ]"
T0=$(prop WatchdogTimestampMonotonic)
sleep 7 # past WatchdogSec=6s of the drop-in
check "watchdog fed past WatchdogSec (still pid $PID1, pinged since)" \
  "[ \"\$(prop MainPID)\" = '$PID1' ] && [ \"\$(prop WatchdogTimestampMonotonic)\" != '$T0' ] && [ \"\$(prop NRestarts)\" = 0 ]"

in_ns kill -9 "$PID1"
check "restarted after kill -9" \
  "until_true 60 '[ \"\$(prop NRestarts)\" = 1 ] && [ \"\$(prop ActiveState)\" = active ] && [ \"\$(prop MainPID)\" != \"$PID1\" ]'"

PID2=$(prop MainPID)
in_ns kill -STOP "$PID2" # hung: no more pings
check "the watchdog fires on the hung agent (Result=watchdog)" \
  "until_true 60 '[ \"\$(prop Result)\" = watchdog ] || [ \"\$(prop SubState)\" = stop-watchdog ]'"
check "and it is restarted" \
  "until_true 60 '[ \"\$(prop NRestarts)\" = 2 ] && [ \"\$(prop ActiveState)\" = active ] && [ \"\$(prop MainPID)\" != \"$PID2\" ]'"

in_ns systemctl stop aiprof.service
check "stopped cleanly (inactive, result success)" \
  "[ \"\$(prop ActiveState)\" = inactive ] && [ \"\$(prop Result)\" = success ]"
check "agent said it flushed and detached" "in_ns grep -q 'aiprof run: stopped' /run/aiprof-test.log"

cp "$HERE/../jfr-other-users.conf" "$WORK/units/aiprof.service.d/"
in_ns bash -c "cp '$WORK/units/aiprof.service.d/jfr-other-users.conf' /etc/systemd/system/aiprof.service.d/ && systemctl daemon-reload"
in_ns systemd-analyze verify aiprof.service > /dev/null 2> "$WORK/verify-jfr.err" || true
check "the JFR drop-in adds CAP_KILL and CAP_DAC_OVERRIDE, verify still clean" \
  "[ ! -s '$WORK/verify-jfr.err' ] && [ \"\$(prop CapabilityBoundingSet)\" = 'cap_dac_override cap_kill cap_sys_ptrace cap_sys_admin cap_perfmon cap_bpf' ]"
in_ns bash -c "rm /etc/systemd/system/aiprof.service.d/jfr-other-users.conf && systemctl daemon-reload"

SCORE=$(in_ns systemd-analyze security aiprof.service --no-pager 2>/dev/null | grep -o 'Overall exposure level.*' || true)
echo "security: ${SCORE:-unknown} (systemd-analyze security aiprof.service)"
if [ "$FAILED" != 0 ]; then
  echo "--- agent log"; in_ns cat /run/aiprof-test.log 2>/dev/null | tail -30 || true
  echo "--- systemd log"; tail -n 30 "$WORK/systemd.log"
fi
exit "$FAILED"
