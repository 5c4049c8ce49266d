package dev.aiprof.collectors.phase;

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

  /** Drops everything. */
  PhaseListener NONE = phase -> {};
}
