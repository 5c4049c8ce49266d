package dev.aiprof.agent.doctor;

import dev.aiprof.agent.identity.Capabilities;
import dev.aiprof.agent.identity.Capabilities.Cap;
import dev.aiprof.agent.privilege.Need;
import dev.aiprof.agent.privilege.PrivilegeCheck;
import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Doctor's privilege lines: the effective capabilities, one line per capability a collector needs
 * and lacks (naming it, the collectors it stops and the fix), and the wording that keeps a refusal
 * (EPERM, EACCES) from reading as a kernel that lacks a feature.
 */
final class PrivilegeChecks {
  private PrivilegeChecks() {}

  static List<Check> of(Set<Cap> caps) {
    Set<String> all = new TreeSet<>();
    Arrays.stream(Need.values()).forEach(n -> all.addAll(n.collectors()));
    PrivilegeCheck c = PrivilegeCheck.of(caps, all);
    List<Check> checks = new ArrayList<>();
    boolean trace = Capabilities.canTrace(caps);
    checks.add(
        Check.of(
            "privileges",
            trace,
            trace
                ? c.held()
                : "cannot load BPF programs: missing CAP_BPF and CAP_PERFMON (or root); have "
                    + c.held(),
            true));
    for (PrivilegeCheck.Missing m : c.missing()) {
      if (trace) {
        checks.add(
            Check.of(
                m.need().cap().name().toLowerCase().replace("cap_", "cap "),
                false,
                "missing, " + m.describe() + "; grant it or run as root",
                false));
      }
    }
    return checks;
  }

  /**
   * A probe's detail, saying so when the kernel refused (EPERM, EACCES) a process that lacks the
   * privilege for it; with the privilege held, a refusal stays the kernel's (fentry is refused to
   * root on some kernels).
   */
  static String refusal(String detail, Set<Cap> caps) {
    boolean refused = detail.contains("EPERM") || detail.contains("EACCES");
    boolean lacking =
        !Capabilities.canTrace(caps)
            || (detail.contains("EACCES") && !caps.contains(Cap.CAP_SYS_ADMIN));
    return refused && lacking
        ? detail + ": refused for want of a privilege, not missing from the kernel"
        : detail;
  }

  /** The tracefs line: not mounted, mounted but unreadable by this user, or fine. */
  static Check tracefs(HostPaths paths) {
    Path dir = paths.sys("kernel", "tracing");
    if (Files.isDirectory(dir.resolve("events"))) {
      return Check.of("tracefs", true, dir.toString(), false);
    }
    if (mounted(paths, "tracefs")) {
      return Check.of(
          "tracefs",
          false,
          "mounted at "
              + dir
              + " but not readable by this user (EACCES, mode 0700): tracepoint programs need"
              + " uid 0 or CAP_DAC_READ_SEARCH",
          false);
    }
    return Check.of(
        "tracefs",
        false,
        "not mounted (mount -t tracefs nodev /sys/kernel/tracing): tracepoints and bpftrace"
            + " need it",
        false);
  }

  private static boolean mounted(HostPaths paths, String fsType) {
    try {
      return Files.readAllLines(paths.proc("self", "mountinfo")).stream()
          .anyMatch(l -> l.contains(" - " + fsType + " "));
    } catch (IOException e) {
      return false;
    }
  }
}
