package dev.aiprof.agent.cli;

import dev.aiprof.agent.identity.Capabilities;
import dev.aiprof.agent.privilege.CapabilityDrop;
import dev.aiprof.agent.privilege.CapabilityMetrics;
import dev.aiprof.agent.privilege.PrivilegeCheck;
import dev.aiprof.api.HostPaths;
import java.util.Set;

/**
 * Fails fast, with the fix, when the process lacks a capability what it runs needs; drops those it
 * does not need (only in aiprof's own JVM: {@link Main#main} sets {@link #ownProcess}, so a test or
 * another program calling {@link Main#run} keeps its capabilities).
 */
final class Privileges {
  private static final System.Logger LOG = System.getLogger(Privileges.class.getName());

  /** Whether this JVM is aiprof's own process (set once by {@link Main#main}). */
  static volatile boolean ownProcess;

  private static int droppedAtStart;

  private Privileges() {}

  static void requireTracing(HostPaths paths, String command) {
    if (!Capabilities.canTrace(Capabilities.effective(paths.proc("self", "status")))) {
      throw new UsageException(
          command
              + " loads BPF programs, which needs root (or CAP_BPF and CAP_PERFMON): run it"
              + " with sudo");
    }
  }

  /**
   * Before {@code run} starts {@code collectors}: every capability they need, or a {@link
   * UsageException} (exit 2) naming each missing one, what it stops and the fix. With {@code
   * degraded} the agent starts anyway and the check's warning says what will not run.
   */
  static PrivilegeCheck requireForRun(HostPaths paths, Set<String> collectors, boolean degraded) {
    PrivilegeCheck c =
        PrivilegeCheck.of(Capabilities.effective(paths.proc("self", "status")), collectors);
    if (c.complete()) {
      return c;
    }
    StringBuilder b =
        new StringBuilder("run lacks capabilities (have ").append(c.held()).append(')');
    for (PrivilegeCheck.Missing m : c.missing()) {
      b.append("\n  missing ").append(m.describe());
    }
    if (degraded) {
      System.err.println(
          "aiprof run: --degraded: starting without " + String.join(", ", c.stopped()) + ": " + b);
      return c;
    }
    throw new UsageException(
        b.append("\n  fix: ")
            .append(c.fix())
            .append("; or pass --degraded to start anyway (")
            .append(String.join(", ", c.stopped()))
            .append(" then see less or nothing)")
            .toString());
  }

  /**
   * Before the agent starts its threads: keeps, on every thread, what the collectors need to start,
   * plus CAP_SYS_RESOURCE (libbpf raises RLIMIT_MEMLOCK on kernels before 5.11),
   * CAP_DAC_READ_SEARCH (tracefs is mode 0700) and CAP_SETPCAP (so that the drop after attach can
   * shrink the bounding set too) where held.
   */
  static void dropBeforeStart(Set<String> privileged) {
    Set<Capabilities.Cap> keep = CapabilityDrop.needs(privileged, false);
    keep.add(Capabilities.Cap.CAP_SYS_RESOURCE);
    keep.add(Capabilities.Cap.CAP_DAC_READ_SEARCH);
    keep.add(Capabilities.Cap.CAP_SETPCAP);
    CapabilityDrop.Result r = drop(keep, false); // the drop after attach reads every thread back
    droppedAtStart = r == null ? 0 : r.dropped();
  }

  /**
   * Once the probes are attached: keeps, on every thread, what is used later, and says so in one
   * line, naming each thread that still holds more; the metrics that keep counting such threads, or
   * null when nothing was dropped.
   */
  static CapabilityMetrics dropAfterAttach(Set<String> privileged) {
    Set<Capabilities.Cap> keep = CapabilityDrop.needs(privileged, true);
    CapabilityDrop.Result r = drop(keep, true);
    if (r == null) {
      return null;
    }
    System.err.println(
        "aiprof run: " + CapabilityDrop.describe(r, privileged, r.dropped() + droppedAtStart));
    return CapabilityMetrics.of(keep);
  }

  private static CapabilityDrop.Result drop(Set<Capabilities.Cap> keep, boolean readBack) {
    if (!ownProcess) {
      return null;
    }
    try {
      return CapabilityDrop.everyThread(keep, readBack);
    } catch (IllegalStateException e) {
      LOG.log(System.Logger.Level.WARNING, "capabilities not dropped: " + e.getMessage());
      return null;
    }
  }
}
