package dev.aiprof.api.phase;

import java.time.Duration;

/**
 * One kind of measurement that can describe a phase: the scheduler timeline, block I/O, CUDA calls,
 * NVML samples. The correlation engine holds each phase until every signal {@linkplain #relevant
 * relevant} to it says it is {@linkplain #ready ready}, each within its own {@linkplain #patience
 * patience}; then it asks each relevant signal to {@linkplain #describe describe} the phase. A
 * signal that is late (its patience ran out) is named on the phase and counted, and never holds the
 * others: a 1 Hz sampler delays only the phases it describes, a hung one only by its patience.
 * Adding a signal changes nothing in the engine.
 *
 * <p>Every method is called on the engine's thread, must return quickly and must not block: a
 * signal whose data comes from a slow source (a device call) gathers it on its own thread and
 * answers from what it holds. A method that throws is counted; the phase still goes out.
 */
public interface PhaseSignal {
  /** Short name, e.g. "sched": the key of its self-metrics and of the late-signal attribute. */
  String name();

  /**
   * Whether this signal has anything to say about {@code phase} (a GPU signal about phases of
   * processes that use no GPU: no). The engine neither waits for nor asks a signal that is not.
   */
  default boolean relevant(Phase phase) {
    return true;
  }

  /**
   * Whether the signal holds all its data for {@code phase} now: its data is complete past the
   * phase's end (a ring buffer drained past it, a sample taken after it), and nothing it knows to
   * be on its way is missing. The engine asks again until it answers true or its patience runs out.
   */
  boolean ready(Phase phase);

  /**
   * How long after a phase reached the engine it waits for this signal. Past it the phase is
   * described with what the signal has, and the signal is named late on it.
   */
  default Duration patience() {
    return Duration.ofSeconds(5);
  }

  /** Adds what this signal knows about {@code phase} to {@code out}. */
  void describe(Phase phase, PhaseDescription out);
}
