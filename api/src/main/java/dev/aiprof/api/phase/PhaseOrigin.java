package dev.aiprof.api.phase;

/** Where a phase came from. */
public enum PhaseOrigin {
  /** {@code aiprof_phase_begin/end} of libaiprof.so, caught by uprobes (kernel timestamps). */
  MARKER,
  /** An NVTX range routed through libaiprof.so's NVTX injection entry (kernel timestamps). */
  NVTX,
  /** A span a workload sent to the agent's OTLP receiver (its own wall-clock timestamps). */
  OTLP,
  /** A JFR event of a JVM workload: GC pause, safepoint, or a user-declared phase event. */
  JFR;

  public String label() {
    return name().toLowerCase();
  }
}
