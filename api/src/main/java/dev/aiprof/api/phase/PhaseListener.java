package dev.aiprof.api.phase;

/**
 * Receives phases from phase sources (marker uprobes, OTLP receiver, JFR), usually the agent's
 * correlation engine. Called from the sources' own threads; implementations are thread-safe, quick
 * and never throw.
 */
public interface PhaseListener {
  /** A completed phase. */
  void onPhase(Phase phase);

  /**
   * A process has started producing phases (first contact): the agent starts following it, so that
   * its threads' scheduler timelines are recorded from now on.
   */
  default void onProcess(int pid) {}

  /**
   * Like {@link #onProcess(int)}, from a source that has already made the kernel follow the process
   * (the marker probe does, at the process's first phase) at {@code followedSinceNs} (monotonic):
   * its timelines are complete from then on.
   */
  default void onProcess(int pid, long followedSinceNs) {
    onProcess(pid);
  }

  /** Drops everything. */
  PhaseListener NONE = phase -> {};
}
