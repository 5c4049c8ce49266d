package dev.aiprof.agent.cli;

import dev.aiprof.agent.identity.Capabilities;
import dev.aiprof.agent.privilege.PrivilegeCheck;
import dev.aiprof.api.HostPaths;
import java.util.Set;

/** Fails fast, with the fix, when the process lacks a capability what it runs needs. */
final class Privileges {
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
}
