package dev.aiprof.api.phase;

/**
 * Receives correlated phases on the engine's thread: exporters (spans), phase metrics, the CLI's
 * phase table. Must be quick and must not throw; slow work goes to the sink's own queue.
 */
@FunctionalInterface
public interface CorrelatedPhaseSink {
  void accept(CorrelatedPhase phase);
}
