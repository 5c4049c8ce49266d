package dev.aiprof.agent.cli;

import dev.aiprof.agent.identity.Capabilities;
import dev.aiprof.api.HostPaths;

/** Fails fast, with the fix, when the process cannot load tracing BPF programs. */
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
}
