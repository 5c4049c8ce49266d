package dev.aiprof.custom.bpftrace;

/** Where a supervised script is in its life. */
public enum ScriptState {
  /** bpftrace started; its probes are not attached yet (compiling). */
  STARTING,
  /** Probes attached; its maps arrive each interval. */
  RUNNING,
  /** bpftrace exited (a compile or attach error, or the script ended); restarting after backoff. */
  BACKOFF,
  /** Stopped with the agent. */
  STOPPED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
