package dev.aiprof.api.sandbox;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.ProcCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the host can measure of a sandbox as a whole: the CPU and runqueue time of every host thread
 * in the sandbox's cgroup (the kernel's {@code /proc/TID/schedstat}), and the cgroup's own CPU
 * accounting to check it against: cgroup v2 {@code cpu.stat} usage_usec (present in every non-root
 * v2 cgroup, with or without the cpu controller) where the process is in a v2 cgroup other than the
 * root, else cgroup v1 {@code cpuacct.usage}. The v2 hierarchy is found on v2-only and hybrid hosts
 * alike ({@link CgroupDirs}). These figures are real from the host; which guest thread or request
 * they served is not. Reads at most {@link #MAX_THREADS} threads. Stateless and thread-safe.
 *
 * @param cgroup the cgroup path the figures are for
 * @param accounting where {@code cgroupUsageNs} comes from: {@link #V2} or {@link #V1}
 * @param threads host threads counted
 * @param onCpuNs their time on a CPU, summed (threads that already exited are not in it)
 * @param runqueueNs their time runnable but waiting for a CPU, summed
 * @param cgroupUsageNs the cgroup's own CPU usage, or -1 if unreadable
 */
public record SandboxUsage(
    String cgroup,
    String accounting,
    int threads,
    long onCpuNs,
    long runqueueNs,
    long cgroupUsageNs) {
  /** Threads read, at most. */
  public static final int MAX_THREADS = 4096;

  /** {@code accounting} of a cgroup v2 figure. */
  public static final String V2 = "cgroup v2 cpu.stat";

  /** {@code accounting} of a cgroup v1 figure. */
  public static final String V1 = "cgroup v1 cpuacct.usage";

  /**
   * The usage of the cgroup {@code pid} is in: its v2 cgroup if that is not the root, else its v1
   * cpuacct cgroup; empty if the process or its cgroup is gone.
   */
  public static Optional<SandboxUsage> of(HostPaths paths, int pid) {
    return v2(paths, pid).or(() -> v1(paths, pid));
  }

  /** The usage of {@code pid}'s cgroup v2 cgroup; empty if it is in the root or has none. */
  public static Optional<SandboxUsage> v2(HostPaths paths, int pid) {
    Optional<String> path =
        ProcCgroups.read(paths, pid).flatMap(ProcCgroups::v2Path).filter(p -> !p.equals("/"));
    Optional<Path> dir = path.flatMap(p -> CgroupDirs.v2(paths, p));
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    try {
      long usec = usageUsec(Files.readString(dir.get().resolve("cpu.stat")));
      return Optional.of(
          sum(
              paths,
              path.get(),
              V2,
              Files.readAllLines(dir.get().resolve("cgroup.threads")),
              usec < 0 ? -1 : usec * 1000));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The usage of {@code pid}'s cgroup v1 cpuacct cgroup; empty if the host has none. */
  public static Optional<SandboxUsage> v1(HostPaths paths, int pid) {
    Optional<String> path =
        ProcCgroups.read(paths, pid).map(c -> c.v1Paths().get("cpuacct")).filter(p -> p != null);
    Optional<Path> dir = path.flatMap(p -> CgroupDirs.v1(paths, "cpuacct", p));
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    try {
      long usage = Long.parseLong(Files.readString(dir.get().resolve("cpuacct.usage")).strip());
      return Optional.of(
          sum(paths, path.get(), V1, Files.readAllLines(dir.get().resolve("tasks")), usage));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** usage_usec from a cgroup v2 {@code cpu.stat} (pure); -1 if absent. */
  public static long usageUsec(String cpuStat) {
    for (String line : cpuStat.split("\n")) {
      if (line.startsWith("usage_usec ")) {
        return Long.parseLong(line.substring(11).strip());
      }
    }
    return -1;
  }

  /** The first two fields of a {@code schedstat} line: on-CPU and runqueue ns (pure). */
  public static long[] schedstat(String line) {
    String[] f = line.strip().split(" ");
    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
  }

  private static SandboxUsage sum(
      HostPaths paths, String cgroup, String accounting, List<String> tids, long usage) {
    long on = 0;
    long rq = 0;
    int n = 0;
    for (String t : tids) {
      if (t.isBlank() || n >= MAX_THREADS) {
        continue;
      }
      try {
        long[] s = schedstat(Files.readString(paths.proc(t.strip(), "schedstat")));
        on += s[0];
        rq += s[1];
        n++;
      } catch (IOException | RuntimeException e) {
        // the thread exited between the list and the read
      }
    }
    return new SandboxUsage(cgroup, accounting, n, on, rq, usage);
  }
}
