package dev.aiprof.api.phase;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;

/**
 * A span a workload produced itself (received over OTLP), kept whole so the agent can forward it
 * enriched but otherwise unchanged: same trace, span and parent ids, resource, scope, kind, status,
 * attributes, events and links. Ids are lower-case hex (32 and 16 characters); the parent is empty
 * for a root span. Timestamps are the workload's own wall clock (epoch nanoseconds).
 */
public record ForeignSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String traceState,
    int flags,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    StatusCode status,
    String statusMessage,
    Attributes attributes,
    List<Event> events,
    List<Link> links,
    Attributes resource,
    String scopeName,
    String scopeVersion) {

  /** A span event as the workload recorded it. */
  public record Event(String name, long epochNanos, Attributes attributes) {}

  /** A link to another span. */
  public record Link(String traceId, String spanId, Attributes attributes) {}

  public ForeignSpan {
    events = List.copyOf(events);
    links = List.copyOf(links);
  }
}
