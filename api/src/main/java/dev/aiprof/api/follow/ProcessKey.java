package dev.aiprof.api.follow;

/**
 * A process, identified as the kernel does across pid reuse: its pid and its start time ({@code
 * starttime} of {@code /proc/PID/stat}, in clock ticks since boot). Two processes that had the same
 * pid one after the other have different keys.
 */
public record ProcessKey(int pid, long startTicks) {
  public ProcessKey {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid " + pid + " is not a process");
    }
  }

  /**
   * The kernel's clock ticks per second for {@code /proc/PID/stat} times (USER_HZ: 100 on every
   * Linux architecture the agent runs on).
   */
  public static final long USER_HZ = 100;

  /**
   * The key of a process whose start the kernel gave in nanoseconds: {@code start_boottime} of its
   * thread-group leader (CLOCK_BOOTTIME), which {@code /proc/PID/stat} reports divided down to
   * ticks, as here.
   */
  public static ProcessKey ofBootNs(int pid, long startBootNs) {
    return new ProcessKey(pid, Long.divideUnsigned(startBootNs, 1_000_000_000L / USER_HZ));
  }

  @Override
  public String toString() {
    return pid + "@" + startTicks;
  }
}
