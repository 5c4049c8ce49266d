package dev.aiprof.custom.bpftrace;

/** Where a supervised script is in its life. */
public enum ScriptState {
  /** bpftrace started; its probes are not attached yet (compiling). */
  STARTING,
  /** Probes attached; its maps arrive each interval. */
  RUNNING,
  /** bpftrace exited (a compile or attach error, or the script ended); restarting after backoff. */
  BACKOFF,
  /**
   * The runner itself failed (an unexpected exception or error while running or reading the child,
   * the cause in the last error); the child was killed and restarts after backoff.
   */
  FAILED,
  /** Stopped with the agent. */
  STOPPED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
