package dev.aiprof.testing.backends;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A span as a Zipkin v2 API returns it (times in microseconds; tags hold attributes as strings).
 *
 * @param parentId null for a root span
 * @param localServiceName {@code localEndpoint.serviceName}
 */
public record ZipkinSpan(
    String traceId,
    String id,
    String parentId,
    String name,
    String kind,
    long timestampMicros,
    long durationMicros,
    String localServiceName,
    Map<String, String> tags,
    List<Annotation> annotations) {

  /** An annotation (an event): its time and value. */
  public record Annotation(long timestampMicros, String value) {}

  static ZipkinSpan of(JsonNode n) {
    Map<String, String> tags = new TreeMap<>();
    n.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    List<Annotation> annotations = new ArrayList<>();
    for (JsonNode a : n.path("annotations")) {
      annotations.add(new Annotation(a.path("timestamp").asLong(), a.path("value").asText()));
    }
    return new ZipkinSpan(
        n.path("traceId").asText(),
        n.path("id").asText(),
        n.hasNonNull("parentId") ? n.get("parentId").asText() : null,
        n.path("name").asText(),
        n.hasNonNull("kind") ? n.get("kind").asText() : null,
        n.path("timestamp").asLong(),
        n.path("duration").asLong(),
        n.path("localEndpoint").path("serviceName").asText(null),
        tags,
        annotations);
  }
}
