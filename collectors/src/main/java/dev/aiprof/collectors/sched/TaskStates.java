package dev.aiprof.collectors.sched;

import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.sched.OffCpuKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The state of a process's threads as {@code /proc/PID/task/TID/stat} says it, read when the
 * process starts being followed: a thread asleep since before then has no switch the probe can
 * report until it wakes, and must not count as running meanwhile. Reading is thin; {@link #kindOf}
 * is pure.
 */
final class TaskStates {
  private TaskStates() {}

  /** The off-CPU threads of {@code pid}, by tid, with the kind they are off-CPU in. */
  static Map<Integer, OffCpuKind> offCpu(HostPaths paths, int pid) {
    Map<Integer, OffCpuKind> out = new HashMap<>();
    Path tasks = paths.proc(Integer.toString(pid), "task");
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path t : dir) {
        try {
          int tid = Integer.parseInt(t.getFileName().toString());
          kindOf(Files.readString(t.resolve("stat"))).ifPresent(k -> out.put(tid, k));
        } catch (IOException | NumberFormatException e) {
          // the thread exited meanwhile
        }
      }
    } catch (IOException e) {
      // the process exited meanwhile: nothing to seed
    }
    return out;
  }

  /**
   * The kind of off-CPU wait a stat line's state stands for (after the last ')'): S and I sleep, D
   * blocked, stopped, traced, zombie and dead other; empty for R (running or runnable: the probe
   * sees its next switch) and for anything else.
   */
  static Optional<OffCpuKind> kindOf(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 >= stat.length()) {
      return Optional.empty();
    }
    return switch (stat.charAt(close + 2)) {
      case 'S', 'I' -> Optional.of(OffCpuKind.SLEEP);
      case 'D' -> Optional.of(OffCpuKind.BLOCKED);
      case 'T', 't', 'Z', 'X', 'x', 'P' -> Optional.of(OffCpuKind.OTHER);
      default -> Optional.empty();
    };
  }
}
