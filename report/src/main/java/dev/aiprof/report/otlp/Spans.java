package dev.aiprof.report.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Decodes one OTLP/JSON span object. Pure. */
final class Spans {
  private Spans() {}

  static SpanRecord decode(JsonNode s, String service, long resourcePid) {
    Map<String, Object> attrs = AnyValues.attributes(s.path("attributes"));
    long tid = attrs.get("thread.id") instanceof Number n ? n.longValue() : 0;
    long pid = resourcePid;
    if (pid == 0 && attrs.get("process.pid") instanceof Number n) {
      pid = n.longValue();
    }
    List<SpanRecord.SpanEvent> events = new ArrayList<>();
    for (JsonNode e : s.path("events")) {
      events.add(
          new SpanRecord.SpanEvent(
              e.path("name").asText(""),
              AnyValues.nanos(e.path("timeUnixNano")),
              AnyValues.attributes(e.path("attributes"))));
    }
    JsonNode status = s.path("status").path("code");
    boolean error =
        status.isNumber() ? status.asInt() == 2 : "STATUS_CODE_ERROR".equals(status.asText());
    return new SpanRecord(
        s.path("traceId").asText(""),
        s.path("spanId").asText(""),
        s.path("parentSpanId").asText(""),
        s.path("name").asText(""),
        AnyValues.kind(s.path("kind")),
        AnyValues.nanos(s.path("startTimeUnixNano")),
        AnyValues.nanos(s.path("endTimeUnixNano")),
        service,
        pid,
        tid,
        attrs,
        List.copyOf(events),
        error);
  }
}
