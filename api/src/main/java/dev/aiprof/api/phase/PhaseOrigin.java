package dev.aiprof.api.phase;

/**
 * Where a phase came from: the value of {@code aiprof.phase.origin}. The agent's own sources have
 * constants here; a phase source in another module makes its own ({@code PhaseOrigin.of("cuda")}).
 *
 * @param label lower-case, stable: what metrics, spans and tables show
 */
public record PhaseOrigin(String label) {
  /** {@code aiprof_phase_begin/end} of libaiprof.so, caught by uprobes (kernel timestamps). */
  public static final PhaseOrigin MARKER = new PhaseOrigin("marker");

  /** An NVTX range routed through libaiprof.so's NVTX injection entry (kernel timestamps). */
  public static final PhaseOrigin NVTX = new PhaseOrigin("nvtx");

  /** A span a workload sent to the agent's OTLP receiver (its own wall-clock timestamps). */
  public static final PhaseOrigin OTLP = new PhaseOrigin("otlp");

  /** A JFR event of a JVM workload: GC pause, safepoint, or a user-declared phase event. */
  public static final PhaseOrigin JFR = new PhaseOrigin("jfr");

  public PhaseOrigin {
    if (!label.matches("[a-z][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException(
          "phase origin '" + label + "': use 1-32 lower-case letters, digits, '_' or '-'");
    }
  }

  public static PhaseOrigin of(String label) {
    return new PhaseOrigin(label);
  }

  @Override
  public String toString() {
    return label;
  }
}
