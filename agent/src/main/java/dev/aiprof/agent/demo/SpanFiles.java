package dev.aiprof.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the spans of the OTLP JSON lines files ({@code traces-*.jsonl}, one {@code
 * ExportTraceServiceRequest} per line) in a directory: what the demo's table and its tests check is
 * what was exported, not what the agent held in memory. Pure apart from reading the files.
 */
final class SpanFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SpanFiles() {}

  static List<RecordedSpan> read(Path dir) throws IOException {
    List<RecordedSpan> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "traces-*.jsonl")) {
      for (Path f : files) {
        try (BufferedReader r = Files.newBufferedReader(f)) {
          for (String line; (line = r.readLine()) != null; ) {
            if (!line.isBlank()) {
              parse(JSON.readTree(line), out);
            }
          }
        }
      }
    }
    return out;
  }

  static void parse(JsonNode request, List<RecordedSpan> out) {
    for (JsonNode rs : request.path("resourceSpans")) {
      Map<String, Object> resource = attributes(rs.path("resource").path("attributes"));
      String service = String.valueOf(resource.getOrDefault("service.name", ""));
      long pid = resource.get("process.pid") instanceof Number n ? n.longValue() : 0;
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode s : ss.path("spans")) {
          out.add(
              new RecordedSpan(
                  s.path("traceId").asText(),
                  s.path("spanId").asText(),
                  s.path("parentSpanId").asText(""),
                  s.path("name").asText(),
                  s.path("startTimeUnixNano").asLong(),
                  s.path("endTimeUnixNano").asLong(),
                  service,
                  pid,
                  attributes(s.path("attributes"))));
        }
      }
    }
  }

  static Map<String, Object> attributes(JsonNode list) {
    Map<String, Object> m = new HashMap<>();
    for (JsonNode a : list) {
      JsonNode v = a.path("value");
      Object value;
      if (v.has("doubleValue")) {
        value = v.path("doubleValue").asDouble();
      } else if (v.has("intValue")) {
        value = v.path("intValue").asLong();
      } else if (v.has("boolValue")) {
        value = v.path("boolValue").asBoolean();
      } else {
        value = v.path("stringValue").asText();
      }
      m.put(a.path("key").asText(), value);
    }
    return m;
  }
}
