package dev.aiprof.collectors.phase;

/**
 * One kind of measurement that can describe a phase: the scheduler timeline today; block I/O, file
 * reads, TCP retransmits, CUDA calls and NVML samples later. The correlation engine asks every
 * signal to describe every phase once the signal's data covers it; adding a signal changes nothing
 * in the engine.
 */
public interface PhaseSignal {
  /** Short name, e.g. "sched". */
  String name();

  /**
   * Monotonic time up to which this signal has all its data: a phase that ends before it can be
   * described exactly. Signals without delay return {@code Long.MAX_VALUE}.
   */
  long completeUntil();

  /**
   * Adds what this signal knows about {@code phase} to {@code out}. Called on the engine's thread,
   * after {@code completeUntil() >= phase.endNs()} or after the engine's patience ran out.
   */
  void describe(Phase phase, PhaseDescription out);
}
