package dev.aiprof.api.follow;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

  /**
   * Bytes read of a stat line: fields 9 and 22 lie within them whatever the line holds after (the
   * comm field is at most 64 bytes, the 21 numbers before start time at most 20 digits each).
   */
  private static final int READ_MAX = 1024;

  /**
   * Reads the stat of {@code pid}; empty when the process is gone (or unreadable). Called for every
   * followed process every few hundred milliseconds: one small read, no per-field strings.
   */
  public static Optional<ProcStat> read(HostPaths paths, int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    byte[] line = new byte[READ_MAX];
    try (InputStream in = Files.newInputStream(paths.proc(Integer.toString(pid), "stat"))) {
      return Optional.of(parse(pid, line, in.readNBytes(line, 0, line.length)));
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
    byte[] b = stat.getBytes(StandardCharsets.ISO_8859_1);
    return parse(pid, b, b.length);
  }

  private static ProcStat parse(int pid, byte[] b, int n) {
    int i = n - 1;
    while (i >= 0 && b[i] != ')') {
      i--;
    }
    long flags = -1;
    long start = -1;
    int field = 2; // the ')' ends field 2, comm
    i++;
    while (i < n && start < 0) {
      while (i < n && b[i] == ' ') {
        i++;
      }
      if (i == n || b[i] == '\n') {
        break;
      }
      field++;
      long v = 0;
      boolean digits = true;
      for (; i < n && b[i] != ' ' && b[i] != '\n'; i++) {
        digits &= b[i] >= '0' && b[i] <= '9';
        v = v * 10 + (b[i] - '0');
      }
      // After "pid (comm) ": state(3) ppid pgrp session tty tpgid flags(9) ... starttime(22)
      if (field == 9 || field == 22) {
        if (!digits) {
          break;
        }
        if (field == 9) {
          flags = v;
        } else {
          start = v;
        }
      }
    }
    if (flags < 0 || start < 0) {
      throw new IllegalArgumentException(
          "not a /proc/PID/stat line: " + new String(b, 0, n, StandardCharsets.ISO_8859_1));
    }
    return new ProcStat(pid, start, flags);
  }
}
