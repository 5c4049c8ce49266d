package dev.aiprof.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo's table and verdict from exported spans (inline fixtures, no agent). */
class PhaseTableTest {
  private static final String LINE =
      """
      {"resourceSpans":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"aiprof-reference-server"}},
        {"key":"process.pid","value":{"intValue":"42"}}]},
       "scopeSpans":[{"spans":[
        {"traceId":"t1","spanId":"s1","parentSpanId":"c1","name":"decode",
         "startTimeUnixNano":"1000000","endTimeUnixNano":"3000000",
         "attributes":[{"key":"aiprof.sched.on_cpu_ms","value":{"doubleValue":1.5}},
                       {"key":"aiprof.sched.runqueue_ms","value":{"doubleValue":0.5}},
                       {"key":"thread.id","value":{"intValue":"7"}}]}]}]}]}
      """;

  @Test
  void readsSpansWithTheirResourceAndTypedAttributes() throws Exception {
    List<RecordedSpan> out = new ArrayList<>();
    SpanFiles.parse(new ObjectMapper().readTree(LINE), out);
    assertThat(out).hasSize(1);
    RecordedSpan s = out.getFirst();
    assertThat(s.pid()).isEqualTo(42);
    assertThat(s.service()).isEqualTo("aiprof-reference-server");
    assertThat(s.parentSpanId()).isEqualTo("c1");
    assertThat(s.wallNanos()).isEqualTo(2_000_000);
    assertThat(s.number("aiprof.sched.on_cpu_ms")).isEqualTo(1.5);
    assertThat(s.attributes()).containsEntry("thread.id", 7L);
  }

  @Test
  void theVerdictNamesTheLargestStepAndTheLargestWait() {
    List<RecordedSpan> spans = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      spans.add(
          span(
              "decode", i, Map.of("aiprof.sched.on_cpu_ms", 9.0, "aiprof.sched.runqueue_ms", 1.0)));
    }
    spans.add(
        span(
            "embeddings all-MiniLM-L6-v2",
            20,
            Map.of("aiprof.sched.on_cpu_ms", 4.0, "aiprof.sched.runqueue_ms", 6.0)));
    spans.add(
        span("persist", 30, Map.of("aiprof.sched.on_cpu_ms", 0.1, "aiprof.sched.blocked_ms", 0.2)));
    spans.add(span("other process", 40, Map.of("aiprof.sched.on_cpu_ms", 1000.0), 99));
    PhaseTable t = PhaseTable.of(spans, Set.of(42L));
    assertThat(t.rows())
        .extracting(r -> r.name)
        .containsExactly("decode", "embeddings all-MiniLM-L6-v2", "persist");
    assertThat(t.verdict())
        .isEqualTo(
            "verdict: decode took 91% of the request steps' thread time, 90% of it on a CPU;"
                + " the largest wait: embeddings all-MiniLM-L6-v2 spent 60% of its thread time in"
                + " the runqueue");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    t.print(new PrintStream(b, true, StandardCharsets.UTF_8));
    assertThat(b.toString(StandardCharsets.UTF_8))
        .containsPattern("decode\\s+otlp\\s+10\\s+2.00 ms\\s+2.00 ms\\s+90%\\s+10%\\s+0%\\s+0%");
  }

  @Test
  void sayesWhenNothingWasCorrelated() {
    PhaseTable t = PhaseTable.of(List.of(span("decode", 0, Map.of())), Set.of(42L));
    assertThat(t.verdict()).startsWith("verdict: no request step was correlated");
  }

  private static RecordedSpan span(String name, long at, Map<String, Object> attrs) {
    return span(name, at, attrs, 42);
  }

  private static RecordedSpan span(String name, long at, Map<String, Object> attrs, long pid) {
    return new RecordedSpan(
        "t",
        "s" + at,
        "p",
        name,
        at * 10_000_000,
        at * 10_000_000 + 2_000_000,
        "aiprof-reference-server",
        pid,
        new HashMap<>(attrs));
  }
}
