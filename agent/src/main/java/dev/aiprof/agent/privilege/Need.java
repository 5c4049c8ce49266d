package dev.aiprof.agent.privilege;

import dev.aiprof.agent.identity.Capabilities.Cap;
import java.util.Set;

/**
 * One capability the agent uses, what for, and which collectors need it. Each was established by
 * running the agent with the capability removed (setpriv) on Linux 6.18 and seeing that part fail;
 * the README's capability table is this enum.
 */
public enum Need {
  LOAD_BPF(
      Cap.CAP_BPF,
      "load BPF programs and create their maps (EPERM without it)",
      null,
      "sched",
      "marker",
      "cuda",
      "blockio",
      "fileio",
      "net",
      "profile",
      "usdt"),
  TRACE(
      Cap.CAP_PERFMON,
      // profile: also perf_event_open of the CPU-clock events that sample every task (EACCES)
      "attach tracing programs: tracepoints, tp_btf (EPERM without it)",
      null,
      "sched",
      "marker",
      "cuda",
      "blockio",
      "fileio",
      "net",
      "profile",
      "usdt"),
  UPROBES(
      Cap.CAP_SYS_ADMIN,
      "attach uprobes: the kernel's uprobe PMU answers EACCES with CAP_BPF and CAP_PERFMON"
          + " alone",
      "uprobes on libraries found after start",
      "marker",
      "cuda"),
  OTHER_USERS_PROCS(
      Cap.CAP_SYS_PTRACE,
      "reach other users' processes through /proc/PID/root (the library files uprobes attach to,"
          + " JVMs' /tmp for JFR): EACCES without it",
      "library scans and JVM discovery go on",
      "marker",
      "cuda",
      "jfr",
      "profile"),
  JFR_SIGNAL(
      Cap.CAP_KILL,
      "signal other users' JVMs (SIGQUIT) to open their attach listener: EPERM without it",
      "JVMs found after start",
      "jfr"),
  JFR_SOCKET(
      Cap.CAP_DAC_OVERRIDE,
      "connect to other users' JVM attach sockets (mode 0600): EACCES without it",
      "JVMs found after start",
      "jfr"),
  USDT_UPROBES(
      Cap.CAP_SYS_ADMIN,
      "attach the usdt collector's counter at the sites usdt.probes names (uprobes: EACCES with"
          + " CAP_BPF and CAP_PERFMON alone); at start only",
      null,
      "usdt"),
  USDT_PROCS(
      Cap.CAP_SYS_PTRACE,
      "read the binaries of another user's process named by usdt.probes pid= (through"
          + " /proc/PID/root: EACCES without it); at start only",
      null,
      "usdt"),
  BPFTRACE_MAPS(
      Cap.CAP_BPF,
      "bpftrace children create their maps and load their programs (bpftrace: 'failed to"
          + " create map: Operation not permitted' without it)",
      "bpftrace scripts started again after an exit",
      "bpftrace"),
  BPFTRACE_EVENTS(
      Cap.CAP_PERFMON,
      "bpftrace children open perf events (tracepoints, interval probes: 'perf_event_open:"
          + " Permission denied' without it)",
      "bpftrace scripts started again after an exit",
      "bpftrace"),
  BPFTRACE_UPROBES(
      Cap.CAP_SYS_ADMIN,
      "bpftrace children attach uprobe: and usdt: probes (the uprobe PMU answers EACCES to"
          + " CAP_BPF and CAP_PERFMON alone); the bounding set shrinks after attach, so a"
          + " restarted bpftrace would lack it",
      "bpftrace scripts started again after an exit (uprobe:, usdt:)",
      "bpftrace"),
  BPFTRACE_PROCS(
      Cap.CAP_SYS_PTRACE,
      "bpftrace children read other users' processes (/proc/PID/maps and /proc/PID/root for"
          + " uprobe:, usdt: with a pid): EACCES without it",
      "bpftrace scripts started again after an exit",
      "bpftrace");

  private final Cap cap;
  private final String why;
  private final String later;
  private final Set<String> collectors;

  Need(Cap cap, String why, String later, String... collectors) {
    this.cap = cap;
    this.why = why;
    this.later = later;
    this.collectors = Set.of(collectors);
  }

  public Cap cap() {
    return cap;
  }

  /** Why, in one phrase, for messages and the README. */
  public String why() {
    return why;
  }

  /** Whether it is still used after start-up (kept by {@link CapabilityDrop}). */
  public boolean runtime() {
    return later != null;
  }

  /** What it is used for after start-up, or null. */
  public String later() {
    return later;
  }

  /** The collectors that need it. */
  public Set<String> collectors() {
    return collectors;
  }

  /**
   * Whether {@code have} grants it: the kernel accepts CAP_SYS_ADMIN wherever it asks for CAP_BPF
   * or CAP_PERFMON (their checks are bpf_capable() and perfmon_capable()).
   */
  public boolean grantedBy(Set<Cap> have) {
    return have.contains(cap)
        || ((cap == Cap.CAP_BPF || cap == Cap.CAP_PERFMON) && have.contains(Cap.CAP_SYS_ADMIN));
  }
}
