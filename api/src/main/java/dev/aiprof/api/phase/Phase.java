package dev.aiprof.api.phase;

import io.opentelemetry.api.common.Attributes;

/**
 * A completed interval of a workload's own work: a training step, a data-loading phase, a decode
 * step, a GC pause. Times are CLOCK_MONOTONIC nanoseconds, the clock BPF programs stamp with
 * ({@code bpf_ktime_get_ns}); sources with wall-clock times convert with {@link
 * dev.aiprof.api.phase.ClockSync}.
 *
 * @param name what the workload called it ("load", "decode", "G1 Young Pause")
 * @param origin the source
 * @param pid process (host pid namespace)
 * @param tid the thread that ran it, or 0 when the phase is process-wide (a GC pause, a span
 *     without thread.id)
 * @param startNs start, monotonic
 * @param endNs end, monotonic (>= start)
 * @param depth nesting depth on its thread (0 = outermost), where the source knows it
 * @param attributes what the source knows about it beyond the above (JFR fields, ...)
 * @param span the workload's own span when it sent one (OTLP), else null: the agent makes one
 * @param ids ids for the span the agent makes, from sources that know nesting; null for random ids
 *     without a parent (ignored when {@code span} is set)
 */
public record Phase(
    String name,
    PhaseOrigin origin,
    int pid,
    int tid,
    long startNs,
    long endNs,
    int depth,
    Attributes attributes,
    ForeignSpan span,
    SpanIds ids) {

  /** A phase without agent span ids. */
  public Phase(
      String name,
      PhaseOrigin origin,
      int pid,
      int tid,
      long startNs,
      long endNs,
      int depth,
      Attributes attributes,
      ForeignSpan span) {
    this(name, origin, pid, tid, startNs, endNs, depth, attributes, span, null);
  }

  public Phase {
    if (endNs < startNs) {
      throw new IllegalArgumentException("phase " + name + " ends before it starts");
    }
    if (attributes == null) {
      attributes = Attributes.empty();
    }
  }

  public long durationNs() {
    return endNs - startNs;
  }

  public boolean processWide() {
    return tid == 0;
  }
}
