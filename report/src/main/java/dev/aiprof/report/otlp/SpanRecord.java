package dev.aiprof.report.otlp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One span as read from an OTLP/JSON file, with the resource attributes the report needs folded in.
 * Times are Unix epoch nanoseconds. {@code attributes} are the span's own (sorted by key); values
 * are {@link String}, {@link Long}, {@link Double}, {@link Boolean} or a {@link List} of those.
 *
 * @param parentSpanId empty for a root span
 * @param kind the OTLP span kind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5
 *     consumer)
 * @param pid the resource's {@code process.pid}, 0 when absent
 * @param tid the span's {@code thread.id}, 0 when absent
 */
public record SpanRecord(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    int kind,
    long startNs,
    long endNs,
    String service,
    long pid,
    long tid,
    Map<String, Object> attributes,
    List<SpanEvent> events,
    boolean error) {

  public static final int KIND_SERVER = 2;
  public static final int KIND_CLIENT = 3;

  public long durationNs() {
    return Math.max(0, endNs - startNs);
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  /** A numeric attribute as a double. */
  public Optional<Double> number(String key) {
    return attributes.get(key) instanceof Number n
        ? Optional.of(n.doubleValue())
        : Optional.empty();
  }

  /** A string attribute. */
  public Optional<String> text(String key) {
    return attributes.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** An event on a span: a stall, an exception, a GenAI event. */
  public record SpanEvent(String name, long timeNs, Map<String, Object> attributes) {
    public Optional<Double> number(String key) {
      return attributes.get(key) instanceof Number n
          ? Optional.of(n.doubleValue())
          : Optional.empty();
    }

    public Optional<String> text(String key) {
      return attributes.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }
  }
}
