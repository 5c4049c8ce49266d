package dev.aiprof.report.model;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One trace of the window as a request: its root span (the client's, where the client sent one),
 * its spans as waterfall rows (depth-first from the root, children by start time), and the
 * latencies a generation has: TTFT (the trace's start to the first token: the end of prefill, or of
 * the first decode step without one) and TPOT (the mean time per later token). Traces without
 * decode steps have neither.
 */
public record Request(
    int index,
    String traceId,
    int root,
    String name,
    long startNs,
    long endNs,
    List<Row> rows,
    int decodeSteps,
    OptionalDouble ttftMs,
    OptionalDouble tpotMs,
    String model,
    long inputTokens,
    long outputTokens,
    boolean served) {

  /** A waterfall row: a phase and its depth under the root. */
  public record Row(int phase, int depth) {}

  public double durationMs() {
    return (endNs - startNs) / 1e6;
  }
}
