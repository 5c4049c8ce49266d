package dev.aiprof.report.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes OTLP/JSON {@code AnyValue}s and {@code KeyValue} lists. In the OTLP JSON mapping 64-bit
 * integers are strings ({@code {"intValue":"42"}}); numbers are accepted too. Pure functions.
 */
final class AnyValues {
  private AnyValues() {}

  /**
   * A {@code [{"key":..,"value":{..}}]} list as a sorted map; absent or malformed entries skipped.
   */
  static Map<String, Object> attributes(JsonNode list) {
    Map<String, Object> out = new TreeMap<>();
    if (list == null || !list.isArray()) {
      return out;
    }
    for (JsonNode kv : list) {
      String key = kv.path("key").asText("").intern(); // keys repeat on every span
      Object v = value(kv.path("value"));
      if (!key.isEmpty() && v != null) {
        out.put(key, v);
      }
    }
    return out;
  }

  /** One AnyValue, or null when it holds nothing we read (bytes, a map, an empty value). */
  static Object value(JsonNode v) {
    if (v.has("stringValue")) {
      return v.get("stringValue").asText();
    }
    if (v.has("intValue")) {
      return v.get("intValue").asLong();
    }
    if (v.has("doubleValue")) {
      return v.get("doubleValue").asDouble();
    }
    if (v.has("boolValue")) {
      return v.get("boolValue").asBoolean();
    }
    if (v.has("arrayValue")) {
      List<Object> items = new ArrayList<>();
      for (JsonNode e : v.path("arrayValue").path("values")) {
        Object o = value(e);
        if (o != null) {
          items.add(o);
        }
      }
      return List.copyOf(items);
    }
    return null;
  }

  /** A nanosecond time written as a string or a number; 0 when absent. */
  static long nanos(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return 0;
    }
    if (n.isNumber()) {
      return n.asLong();
    }
    try {
      return Long.parseLong(n.asText());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A span kind written as a number or as its enum name ({@code SPAN_KIND_SERVER}). */
  static int kind(JsonNode n) {
    if (n.isNumber()) {
      return n.asInt();
    }
    return switch (n.asText("")) {
      case "SPAN_KIND_INTERNAL" -> 1;
      case "SPAN_KIND_SERVER" -> 2;
      case "SPAN_KIND_CLIENT" -> 3;
      case "SPAN_KIND_PRODUCER" -> 4;
      case "SPAN_KIND_CONSUMER" -> 5;
      default -> 0;
    };
  }
}
