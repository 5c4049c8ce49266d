package dev.aiprof.agent.identity;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What identity needs to know about a process besides its cgroups.
 *
 * @param pid the process id
 * @param executableName base name of {@code /proc/PID/exe}'s target, else {@code /proc/PID/comm}
 * @param startTicks field 22 of {@code /proc/PID/stat}: with the pid, names one process for good
 */
record ProcessFacts(int pid, String executableName, long startTicks) {

  /** Reads the facts of {@code pid}; empty if the process is gone. */
  public static Optional<ProcessFacts> read(HostPaths paths, int pid) {
    Path dir = paths.proc(Integer.toString(pid));
    try {
      long start = startTicks(Files.readString(dir.resolve("stat")));
      String exe;
      try {
        exe = executableName(Files.readSymbolicLink(dir.resolve("exe")).toString());
      } catch (IOException | UnsupportedOperationException e) {
        exe = Files.readString(dir.resolve("comm")).strip(); // kernel threads, no ptrace access
      }
      return Optional.of(new ProcessFacts(pid, exe, start));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The start time of {@code pid}, or -1 if it is gone: compare with {@link #startTicks}. */
  public static long startTicksOf(HostPaths paths, int pid) {
    try {
      return startTicks(Files.readString(paths.proc(Integer.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Base name of an exe link target, without the kernel's " (deleted)" suffix (pure). */
  public static String executableName(String target) {
    String t = target.endsWith(" (deleted)") ? target.substring(0, target.length() - 10) : target;
    return t.substring(t.lastIndexOf('/') + 1);
  }

  /** Field 22 (starttime) of a stat line; the comm field may hold spaces and parens (pure). */
  public static long startTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[19]);
  }
}
