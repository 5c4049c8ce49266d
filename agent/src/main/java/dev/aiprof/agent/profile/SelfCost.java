package dev.aiprof.agent.profile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the agent itself cost over a window: its process CPU time, the events it received, and its
 * resident memory. Printed by {@code aiprof profile} so users (and the benchmark) see the overhead.
 *
 * @param cpuNs process CPU time (all threads, user + system) spent in the window
 * @param jitNs the part of it the JVM's JIT compiler threads spent: a warm-up cost that fades
 *     within the first minute, not a cost per event
 * @param events ring-buffer events received in the window
 * @param rssBytes resident set size at the end
 * @param peakRssBytes peak resident set size (VmHWM)
 */
public record SelfCost(long cpuNs, long jitNs, long events, long rssBytes, long peakRssBytes) {

  /** CPU seconds per million events, or 0 without events. */
  public double cpuSecondsPerMillionEvents() {
    return events == 0 ? 0 : (cpuNs / 1e9) / (events / 1e6);
  }

  /** The same without the JIT compiler's share: the steady-state cost per event. */
  public double cpuSecondsPerMillionEventsWithoutJit() {
    return events == 0 ? 0 : ((cpuNs - jitNs) / 1e9) / (events / 1e6);
  }

  /**
   * On-CPU time of the JIT compiler threads now alive, in ns, from each thread's schedstat. HotSpot
   * names them "C1 CompilerThreadN" and "C2 CompilerThreadN" (comm keeps 15 characters).
   */
  public static long compilerCpuNs(Path selfTasks) {
    long sum = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(selfTasks)) {
      for (Path t : tasks) {
        try {
          String comm = Files.readString(t.resolve("comm")).strip();
          if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            sum += Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
          }
        } catch (IOException | NumberFormatException e) {
          // the thread exited while we read it
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return sum;
  }

  private static final java.lang.invoke.MethodHandle CLOCK_GETTIME =
      java.lang.foreign.Linker.nativeLinker()
          .downcallHandle(
              java.lang.foreign.Linker.nativeLinker()
                  .defaultLookup()
                  .find("clock_gettime")
                  .orElseThrow(),
              java.lang.foreign.FunctionDescriptor.of(
                  java.lang.foreign.ValueLayout.JAVA_INT,
                  java.lang.foreign.ValueLayout.JAVA_INT,
                  java.lang.foreign.ValueLayout.ADDRESS));
  private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

  /** CPU time of the whole process (all threads) in ns, from CLOCK_PROCESS_CPUTIME_ID. */
  static long processCpuNs() {
    try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
      java.lang.foreign.MemorySegment ts = a.allocate(16, 8);
      int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, ts);
      if (rc != 0) {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
      }
      return ts.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0) * 1_000_000_000L
          + ts.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The kB value of a line such as "VmRSS: 81234 kB" in /proc/self/status, in bytes. */
  static long statusBytes(Path status, String key) {
    try {
      for (String l : Files.readAllLines(status)) {
        if (l.startsWith(key + ":")) {
          return Long.parseLong(l.substring(key.length() + 1).replace("kB", "").strip()) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
