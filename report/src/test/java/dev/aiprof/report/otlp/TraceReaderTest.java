package dev.aiprof.report.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest {
  /** One request as the SDK's OTLP JSON writer encodes it: 64-bit integers as strings. */
  static String line(String service, long pid, String spans) {
    return """
        {"resourceSpans":[{"resource":{"attributes":[\
        {"key":"service.name","value":{"stringValue":"%s"}},\
        {"key":"process.pid","value":{"intValue":"%d"}}]},\
        "scopeSpans":[{"scope":{"name":"s"},"spans":[%s]}]}]}"""
        .formatted(service, pid, spans);
  }

  static String span(String id, String parent, String name, long start, long end, long tid) {
    return """
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"%s","parentSpanId":"%s",\
        "name":"%s","kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":"%d",\
        "attributes":[{"key":"thread.id","value":{"intValue":"%d"}}],"status":{}}"""
        .formatted(id, parent, name, start, end, tid);
  }

  @Test
  void decodesEveryFieldTheReportReads() {
    TraceReader r = new TraceReader(Optional.empty(), Long.MIN_VALUE, 10);
    r.readLine(
        line(
            "svc",
            42,
            """
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331",\
            "name":"prefill","kind":1,"startTimeUnixNano":"1000","endTimeUnixNano":"5000",\
            "attributes":[{"key":"thread.id","value":{"intValue":"43"}},\
            {"key":"aiprof.sched.on_cpu_ms","value":{"doubleValue":1.5}},\
            {"key":"ok","value":{"boolValue":true}},\
            {"key":"dims","value":{"arrayValue":{"values":[{"intValue":"1"},{"stringValue":"x"}]}}}],\
            "events":[{"timeUnixNano":"2000","name":"aiprof.sched.stall","attributes":[\
            {"key":"aiprof.sched.stall.kind","value":{"stringValue":"runqueue"}}]}],\
            "status":{"code":2}}"""));
    SpanRecord s = r.spans().getFirst();
    assertThat(s.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(s.spanId()).isEqualTo("b7ad6b7169203331");
    assertThat(s.isRoot()).isTrue();
    assertThat(s.kind()).isEqualTo(1);
    assertThat(s.startNs()).isEqualTo(1000);
    assertThat(s.durationNs()).isEqualTo(4000);
    assertThat(s.service()).isEqualTo("svc");
    assertThat(s.pid()).isEqualTo(42);
    assertThat(s.tid()).isEqualTo(43);
    assertThat(s.error()).isTrue();
    assertThat(s.attributes())
        .containsEntry("aiprof.sched.on_cpu_ms", 1.5)
        .containsEntry("ok", true)
        .containsEntry("dims", List.of(1L, "x"));
    assertThat(s.events()).hasSize(1);
    assertThat(s.events().getFirst().timeNs()).isEqualTo(2000);
    assertThat(s.events().getFirst().text("aiprof.sched.stall.kind")).contains("runqueue");
  }

  @Test
  void aBadLineIsCountedAndTheNextOneStillRead() {
    TraceReader r = new TraceReader(Optional.empty(), Long.MIN_VALUE, 10);
    r.readLine("{\"resourceSpans\":[{\"resource\":");
    r.readLine(line("svc", 1, span("01", "", "a", 1, 2, 1)));
    assertThat(r.badLines()).isEqualTo(1);
    assertThat(r.spans()).extracting(SpanRecord::name).containsExactly("a");
  }

  @Test
  void spansPastTheCapAreCountedNotKept() {
    TraceReader r = new TraceReader(Optional.empty(), Long.MIN_VALUE, 2);
    r.readLine(
        line(
            "svc",
            1,
            span("01", "", "a", 1, 2, 1)
                + ","
                + span("02", "", "b", 3, 4, 1)
                + ","
                + span("03", "", "c", 5, 6, 1)));
    assertThat(r.spans()).hasSize(2);
    assertThat(r.overCap()).isEqualTo(1);
  }

  @Test
  void sinceLeavesOutSpansThatEndedBefore() {
    TraceReader r = new TraceReader(Optional.empty(), 100, 10);
    r.readLine(
        line("svc", 1, span("01", "", "old", 1, 99, 1) + "," + span("02", "", "new", 50, 100, 1)));
    assertThat(r.spans()).extracting(SpanRecord::name).containsExactly("new");
    assertThat(r.filtered()).isEqualTo(1);
  }

  @Test
  void aServiceKeepsTheAgentsSpansOfTheSameProcess() {
    TraceReader r = new TraceReader(Optional.of("server"), Long.MIN_VALUE, 10);
    r.readLine(line("server", 7, span("01", "", "handle", 1, 9, 8)));
    r.readLine(line("java", 7, span("02", "", "prefill", 2, 3, 8)));
    r.readLine(line("client", 5, span("03", "", "send", 0, 10, 6)));
    assertThat(r.spans()).extracting(SpanRecord::name).containsExactly("handle", "prefill");
    assertThat(r.filtered()).isEqualTo(1);
  }

  @Test
  void kindsAndTimesInEitherJsonForm() {
    TraceReader r = new TraceReader(Optional.empty(), Long.MIN_VALUE, 10);
    r.readLine(
        line(
            "svc",
            1,
            """
            {"traceId":"aa","spanId":"01","name":"x","kind":"SPAN_KIND_CLIENT",\
            "startTimeUnixNano":5,"endTimeUnixNano":9}"""));
    SpanRecord s = r.spans().getFirst();
    assertThat(s.kind()).isEqualTo(SpanRecord.KIND_CLIENT);
    assertThat(s.endNs()).isEqualTo(9);
    assertThat(s.attributes()).isEqualTo(Map.of());
  }

  @Test
  void theScanFindsTheNewestEndAndTheServicesPidsSoOthersDoNotFillTheCap(@TempDir Path dir)
      throws IOException {
    Path f = dir.resolve("traces-20261204T120000Z-1.jsonl");
    Files.writeString(
        f,
        line("client", 5, span("01", "", "send", 0, 10, 6))
            + "\n"
            + line("server", 7, span("02", "", "handle", 1, 9, 8))
            + "\n"
            + line("java", 7, span("03", "", "prefill", 2, 30, 8))
            + "\n");
    TraceReader.Scan scan = TraceReader.scan(List.of(f), Optional.of("server"));
    assertThat(scan.latestEndNs()).isEqualTo(30);
    assertThat(scan.servicePids()).containsExactly(7L);
    TraceReader r = new TraceReader(Optional.of("server"), scan.servicePids(), Long.MIN_VALUE, 2);
    r.read(f);
    assertThat(r.spans()).extracting(SpanRecord::name).containsExactly("handle", "prefill");
    assertThat(r.overCap()).isZero();
    assertThat(r.filtered()).isEqualTo(1);
  }
}
