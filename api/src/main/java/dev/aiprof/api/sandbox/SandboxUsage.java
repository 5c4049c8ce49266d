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
 * accounting (v2 {@code cpu.stat} usage_usec, v1 {@code cpuacct.usage}) to check it against. These
 * figures are real from the host; which guest thread or request they served is not. Reads at most
 * {@link #MAX_THREADS} threads. Stateless and thread-safe.
 *
 * @param cgroup the cgroup path the figures are for
 * @param threads host threads counted
 * @param onCpuNs their time on a CPU, summed (threads that already exited are not in it)
 * @param runqueueNs their time runnable but waiting for a CPU, summed
 * @param cgroupUsageNs the cgroup's own CPU usage, or -1 if unreadable
 */
public record SandboxUsage(
    String cgroup, int threads, long onCpuNs, long runqueueNs, long cgroupUsageNs) {
  /** Threads read, at most. */
  public static final int MAX_THREADS = 4096;

  /** The usage of the cgroup {@code pid} is in; empty if the process or its cgroup is gone. */
  public static Optional<SandboxUsage> of(HostPaths paths, int pid) {
    Optional<ProcCgroups> cg = ProcCgroups.read(paths, pid);
    if (cg.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> v2 = cg.get().v2Path().filter(p -> !p.equals("/"));
    String cpuacct = cg.get().v1Paths().get("cpuacct");
    try {
      if (v2.isPresent() && Files.exists(paths.cgroupfs().resolve(rel(v2.get()), "cpu.stat"))) {
        Path dir = paths.cgroupfs().resolve(rel(v2.get()));
        long usage = usageUsec(Files.readString(dir.resolve("cpu.stat"))) * 1000;
        return Optional.of(
            sum(paths, v2.get(), Files.readAllLines(dir.resolve("cgroup.threads")), usage));
      }
      if (cpuacct != null) {
        for (String mount : List.of("cpuacct", "cpu,cpuacct", "cpuacct,cpu")) {
          Path dir = paths.cgroupfs().resolve(mount).resolve(rel(cpuacct));
          if (Files.exists(dir.resolve("cpuacct.usage"))) {
            long usage = Long.parseLong(Files.readString(dir.resolve("cpuacct.usage")).strip());
            return Optional.of(
                sum(paths, cpuacct, Files.readAllLines(dir.resolve("tasks")), usage));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
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

  private static SandboxUsage sum(HostPaths paths, String cgroup, List<String> tids, long usage) {
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
    return new SandboxUsage(cgroup, n, on, rq, usage);
  }

  private static String rel(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }
}
