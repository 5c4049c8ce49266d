package dev.aiprof.api.phase;

/**
 * Receives phases from phase sources (marker uprobes, OTLP receiver, JFR), usually the agent's
 * correlation engine. Called from the sources' own threads; implementations are thread-safe, quick
 * and never throw. Following a process is asked of {@link dev.aiprof.api.follow.Follows}, not here.
 */
@FunctionalInterface
public interface PhaseListener {
  /** A completed phase. */
  void onPhase(Phase phase);

  /** Drops everything. */
  PhaseListener NONE = phase -> {};
}
