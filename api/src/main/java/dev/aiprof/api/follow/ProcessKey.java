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

  @Override
  public String toString() {
    return pid + "@" + startTicks;
  }
}
