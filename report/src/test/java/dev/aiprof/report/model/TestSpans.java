package dev.aiprof.report.model;

import dev.aiprof.report.otlp.SpanRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Spans for model tests, in milliseconds from 0. */
final class TestSpans {
  private final List<SpanRecord> spans = new ArrayList<>();

  static Map<String, Object> sched(double onCpu, double runqueue, double blocked, double sleep) {
    Map<String, Object> a = new TreeMap<>();
    a.put("aiprof.sched.on_cpu_ms", onCpu);
    a.put("aiprof.sched.runqueue_ms", runqueue);
    a.put("aiprof.sched.blocked_ms", blocked);
    a.put("aiprof.sched.sleep_ms", sleep);
    a.put("aiprof.sched.other_ms", 0.0);
    a.put("aiprof.sched.steal_ms", 0.0);
    return a;
  }

  TestSpans add(
      String trace,
      String id,
      String parent,
      String name,
      int kind,
      double startMs,
      double endMs,
      String service,
      long pid,
      long tid,
      Map<String, Object> attrs,
      List<SpanRecord.SpanEvent> events) {
    spans.add(
        new SpanRecord(
            trace,
            id,
            parent,
            name,
            kind,
            (long) (startMs * 1e6),
            (long) (endMs * 1e6),
            service,
            pid,
            tid,
            new TreeMap<>(attrs),
            events,
            false));
    return this;
  }

  TestSpans add(String trace, String id, String parent, String name, double s, double e, long tid) {
    return add(trace, id, parent, name, 1, s, e, "svc", 10, tid, Map.of(), List.of());
  }

  static SpanRecord.SpanEvent stall(double atMs, String kind, double ms) {
    return new SpanRecord.SpanEvent(
        "aiprof.sched.stall",
        (long) (atMs * 1e6),
        Map.of("aiprof.sched.stall.kind", kind, "aiprof.sched.stall.duration_ms", ms));
  }

  List<SpanRecord> sorted() {
    List<SpanRecord> out = new ArrayList<>(spans);
    out.sort(
        java.util.Comparator.comparingLong(SpanRecord::startNs)
            .thenComparing(SpanRecord::traceId)
            .thenComparing(SpanRecord::spanId));
    return out;
  }

  WindowModel model() {
    return WindowModel.of(sorted(), new ReadStats(1, spans.size(), 0, 0, 0, 1000));
  }
}
