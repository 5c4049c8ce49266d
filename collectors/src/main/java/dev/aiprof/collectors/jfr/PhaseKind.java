package dev.aiprof.collectors.jfr;

/** What a JFR phase is; the {@code aiprof.jfr.kind} attribute of phases and metrics. */
public enum PhaseKind {
  /** A stop-the-world GC pause (process-wide). */
  GC,
  /** A safepoint: every Java thread stopped for a VM operation (process-wide). */
  SAFEPOINT,
  /** An {@code aiprof.Phase} event the workload committed (on its thread). */
  USER;

  public String label() {
    return name().toLowerCase();
  }
}
