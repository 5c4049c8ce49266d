package dev.aiprof.agent.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.aiprof.testing.backends.ZipkinSpan;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A span as a backend gave it back, in one shape for every backend: ids (hex), name, service, times
 * (epoch ns; Zipkin's are microseconds), attributes and resource attributes as strings (Zipkin
 * mixes both into its tags), and events.
 *
 * @param parentId null for a root span
 */
record ExportedSpan(
    String traceId,
    String spanId,
    String parentId,
    String name,
    String service,
    long startNanos,
    long endNanos,
    Map<String, String> attributes,
    Map<String, String> resource,
    List<Event> events) {

  /** An event: its name, time (epoch ns) and attributes. */
  record Event(String name, long epochNanos, Map<String, String> attributes) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An attribute of the span, else of its resource. */
  String get(String key) {
    String v = attributes.get(key);
    return v != null ? v : resource.get(key);
  }

  double number(String key) {
    String v = get(key);
    if (v == null) {
      throw new AssertionError("no attribute " + key + " on " + this);
    }
    return Double.parseDouble(v);
  }

  /** A Zipkin span: events from annotations {@code NAME|{json attributes}|dropped}. */
  static ExportedSpan of(ZipkinSpan z) {
    List<Event> events = new ArrayList<>();
    for (ZipkinSpan.Annotation a : z.annotations()) {
      String[] parts = a.value().split("\\|", 3);
      Map<String, String> attrs = new HashMap<>();
      if (parts.length > 1) {
        try {
          JsonNode n = JSON.readTree(parts[1]);
          n.properties().forEach(e -> attrs.put(e.getKey(), e.getValue().asText()));
        } catch (java.io.IOException e) {
          throw new AssertionError("annotation " + a.value() + " is not NAME|JSON|n", e);
        }
      }
      events.add(new Event(parts[0], a.timestampMicros() * 1000, attrs));
    }
    return new ExportedSpan(
        z.traceId(),
        z.id(),
        z.parentId(),
        z.name(),
        z.localServiceName(),
        z.timestampMicros() * 1000,
        (z.timestampMicros() + z.durationMicros()) * 1000,
        z.tags(),
        z.tags(),
        events);
  }

  /** An OTLP span with its resource's attributes. */
  static ExportedSpan of(Span s, List<KeyValue> resource) {
    Map<String, String> res = strings(resource);
    List<Event> events = new ArrayList<>();
    for (Span.Event e : s.getEventsList()) {
      events.add(new Event(e.getName(), e.getTimeUnixNano(), strings(e.getAttributesList())));
    }
    return new ExportedSpan(
        hex(s.getTraceId()),
        hex(s.getSpanId()),
        s.getParentSpanId().isEmpty() ? null : hex(s.getParentSpanId()),
        s.getName(),
        res.get("service.name"),
        s.getStartTimeUnixNano(),
        s.getEndTimeUnixNano(),
        strings(s.getAttributesList()),
        res,
        events);
  }

  private static Map<String, String> strings(List<KeyValue> kvs) {
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      String text =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> v.toString();
          };
      out.put(kv.getKey(), text);
    }
    return out;
  }

  private static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }
}
