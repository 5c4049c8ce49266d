package dev.aiprof.api.phase;

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
   * Whether this signal can describe {@code phase} now, once {@code completeUntil()} covers its
   * end. A signal that knows some of the phase's data is still on its way (a thread whose switch
   * the kernel did not trace, rebuilt only at its next switch) returns false; the engine asks
   * again, until its patience runs out. Called on the engine's thread.
   */
  default boolean ready(Phase phase) {
    return true;
  }

  /**
   * Adds what this signal knows about {@code phase} to {@code out}. Called on the engine's thread,
   * once {@code completeUntil() >= phase.endNs()} and {@link #ready}, or after the engine's
   * patience ran out.
   */
  void describe(Phase phase, PhaseDescription out);
}
