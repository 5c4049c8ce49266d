package dev.aiprof.exporters.traces;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;

/** Span contexts from the hex ids and W3C strings phases carry. Pure functions. */
public final class TraceIds {
  private TraceIds() {}

  /**
   * A remote-looking span context for ids received from elsewhere (invalid when the ids are not
   * well-formed hex: the exporter then drops the parent or makes new ids).
   */
  public static SpanContext context(String traceId, String spanId, int flags, String traceState) {
    return SpanContext.create(
        traceId, spanId, TraceFlags.fromByte((byte) flags), parseTraceState(traceState));
  }

  /** The parent's context in the same trace, or invalid for a root (empty parent id). */
  public static SpanContext parent(String traceId, String parentSpanId, int flags) {
    if (parentSpanId == null || parentSpanId.isEmpty()) {
      return SpanContext.getInvalid();
    }
    return SpanContext.create(
        traceId, parentSpanId, TraceFlags.fromByte((byte) flags), TraceState.getDefault());
  }

  /**
   * A W3C {@code tracestate} header value ("vendor=value,other=x") as a {@link TraceState}; entries
   * that are not {@code key=value} are skipped, and an empty or null value gives the default.
   */
  public static TraceState parseTraceState(String header) {
    if (header == null || header.isBlank()) {
      return TraceState.getDefault();
    }
    String[] members = header.split(",");
    TraceStateBuilder b = TraceState.builder();
    // The header lists the most recent member first; the builder puts each new one first.
    for (int i = members.length - 1; i >= 0; i--) {
      String m = members[i].strip();
      int eq = m.indexOf('=');
      if (eq > 0 && eq < m.length() - 1) {
        b.put(m.substring(0, eq), m.substring(eq + 1));
      }
    }
    return b.build();
  }
}
