package dev.aiprof.agent.demo;

import java.util.Map;

/**
 * One span as the agent exported it to its OTLP JSON files.
 *
 * @param traceId hex
 * @param spanId hex
 * @param parentSpanId hex, empty for a root
 * @param name the span's name
 * @param startNanos epoch nanoseconds
 * @param endNanos epoch nanoseconds
 * @param service the resource's {@code service.name}
 * @param pid the resource's {@code process.pid}, or 0
 * @param attributes the span's attributes (numbers as Double or Long, the rest as String)
 */
record RecordedSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    long startNanos,
    long endNanos,
    String service,
    long pid,
    Map<String, Object> attributes) {

  long wallNanos() {
    return endNanos - startNanos;
  }

  /** A numeric attribute, or 0. */
  double number(String key) {
    return attributes.get(key) instanceof Number n ? n.doubleValue() : 0;
  }

  String string(String key) {
    Object v = attributes.get(key);
    return v == null ? null : v.toString();
  }
}
