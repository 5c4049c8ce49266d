package dev.aiprof.bpf.phase;

/** The phase probe's own health counters; mirrors {@code enum phase_counter} in phase.h. */
public enum PhaseCounter {
  /** Events submitted to the ring buffer. */
  EVENTS,
  /** Events dropped because the ring buffer was full. */
  EVENTS_DROPPED,
  /** Processes the probe added to the scheduler probe's {@code followed} map. */
  FOLLOWED,
  /** Processes not followed because {@code followed} was full. */
  FOLLOW_FULL;

  public int index() {
    return ordinal();
  }
}
