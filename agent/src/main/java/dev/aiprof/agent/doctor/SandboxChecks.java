package dev.aiprof.agent.doctor;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.sandbox.SandboxDirectory;
import dev.aiprof.api.sandbox.SandboxUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The doctor's sandbox lines: one per sandboxed workload running now (gVisor's Sentry, a Kata or
 * Firecracker VMM), saying what the host measures of it and what it cannot see, and why; or that
 * none runs. Informational: a sandbox never stops the agent.
 */
final class SandboxChecks {
  /** What the host measures of any sandbox. */
  static final String OBSERVABLE =
      "observable: CPU, runqueue and off-CPU time of its host threads (sched per cgroup), block"
          + " I/O and TCP by cgroup, GPU by host pid, all attributed to the pod";

  private SandboxChecks() {}

  static List<Check> of(HostPaths paths) {
    List<SandboxDirectory.Entry> found = SandboxDirectory.scan(paths);
    List<Check> out = new ArrayList<>();
    if (found.isEmpty()) {
      out.add(
          Check.of(
              "sandboxes",
              true,
              "none running (gVisor, Kata and Firecracker are recognised: per-thread scheduler"
                  + " figures are then marked not observable)",
              false));
      return out;
    }
    out.add(Check.of("sandboxes", true, found.size() + " running", false));
    for (SandboxDirectory.Entry e : found) {
      out.add(
          Check.of(
              "  " + e.sandbox().kind().label(),
              true,
              line(e, SandboxUsage.of(paths, e.hostPid()), sameNetns(paths, e.hostPid())),
              false));
    }
    return out;
  }

  /** Whether {@code pid} shares the agent's network namespace; empty when unreadable. */
  static Optional<Boolean> sameNetns(HostPaths paths, int pid) {
    try {
      return Optional.of(
          Files.readSymbolicLink(paths.proc(Integer.toString(pid), "ns", "net"))
              .equals(Files.readSymbolicLink(paths.proc("self", "ns", "net"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static String line(SandboxDirectory.Entry e, Optional<SandboxUsage> usage) {
    return line(e, usage, Optional.empty());
  }

  /**
   * @param hostNetwork whether the sandbox's host process is in the agent's network namespace
   */
  static String line(
      SandboxDirectory.Entry e, Optional<SandboxUsage> usage, Optional<Boolean> hostNetwork) {
    StringBuilder b = new StringBuilder();
    b.append("pid ").append(e.hostPid());
    e.containerId().ifPresent(id -> b.append(" container ").append(id, 0, 12));
    e.podUid().ifPresent(uid -> b.append(" pod ").append(uid));
    e.sandbox().vmm().ifPresent(v -> b.append(" vmm ").append(v));
    usage.ifPresent(
        u ->
            b.append(
                String.format(
                    Locale.ROOT,
                    " (%d host threads, on-CPU %.1f s, runqueue %.1f s, cgroup %s, %s %.1f s)",
                    u.threads(),
                    u.onCpuNs() / 1e9,
                    u.runqueueNs() / 1e9,
                    u.cgroup(),
                    u.accounting(),
                    u.cgroupUsageNs() / 1e9)));
    b.append("; ").append(OBSERVABLE);
    b.append("; spans matched by container.id, k8s.pod.uid or the connection's origin, never by")
        .append(" pid");
    hostNetwork.ifPresent(
        h ->
            b.append(
                h
                    ? " (the host's network namespace: by the socket its host process holds)"
                    : " (its own network namespace: by its address there)"));
    b.append("; not observable: per-thread and per-phase scheduler figures (")
        .append(e.sandbox().reason())
        .append(')');
    return b.toString();
  }
}
