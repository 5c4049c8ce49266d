package dev.aiprof.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's own scheduler accounting of one thread, {@code /proc/PID/task/TID/schedstat}: time
 * on CPU, time waiting on a runqueue, timeslices run. The reference the probes are checked against.
 */
public record Schedstat(long onCpuNs, long runDelayNs, long slices) {

  public static Schedstat read(long pid, long tid) {
    Path p = Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "schedstat");
    try {
      return parse(Files.readString(p));
    } catch (IOException e) {
      throw new UncheckedIOException("read " + p, e);
    }
  }

  public static Schedstat parse(String line) {
    String[] f = line.strip().split("\\s+");
    return new Schedstat(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
  }

  public Schedstat minus(Schedstat earlier) {
    return new Schedstat(
        onCpuNs - earlier.onCpuNs, runDelayNs - earlier.runDelayNs, slices - earlier.slices);
  }
}
