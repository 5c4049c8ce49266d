package dev.aiprof.api.follow;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * What {@code /proc/PID/stat} says about a process that following needs: its start time (with the
 * pid, the {@link ProcessKey}) and whether it is a kernel thread.
 *
 * @param startTicks field 22, in clock ticks since boot
 * @param flags field 9, the kernel's {@code PF_*} flags
 */
public record ProcStat(int pid, long startTicks, long flags) {
  /** {@code PF_KTHREAD}: a kernel thread, never a workload. */
  public static final long PF_KTHREAD = 0x00200000;

  public ProcessKey key() {
    return new ProcessKey(pid, startTicks);
  }

  public boolean kernelThread() {
    return (flags & PF_KTHREAD) != 0;
  }

  /** Reads the stat of {@code pid}; empty when the process is gone (or unreadable). */
  public static Optional<ProcStat> read(HostPaths paths, int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(pid, Files.readString(paths.proc(Integer.toString(pid), "stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses a stat line (pure). The comm field may hold spaces and parentheses: fields are counted
   * from the last ')'.
   *
   * @throws IllegalArgumentException on a line that is not a stat line
   */
  public static ProcStat parse(int pid, String stat) {
    int close = stat.lastIndexOf(')');
    String[] f = close < 0 ? new String[0] : stat.substring(close + 2).strip().split(" ");
    if (f.length < 20) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
    }
    // After "pid (comm) ": state(3) ppid pgrp session tty tpgid flags(9) ... starttime(22)
    return new ProcStat(pid, Long.parseLong(f[19]), Long.parseLong(f[6]));
  }
}
