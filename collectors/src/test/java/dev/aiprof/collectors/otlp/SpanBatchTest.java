package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.id;
import static dev.aiprof.collectors.otlp.TestSpans.kv;
import static dev.aiprof.collectors.otlp.TestSpans.request;
import static dev.aiprof.collectors.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanBatchTest {
  private static final long T0 = 1_700_000_000_000_000_000L;

  @Test
  void convertsEveryResourceAndScopeAndCountsWhatIsMissing() {
    ExportTraceServiceRequest withPid =
        request(
            List.of(kv("process.pid", 10), kv("service.name", "a")),
            span("one", T0, kv("thread.id", 11)).build(),
            span("two", T0).build());
    ExportTraceServiceRequest withoutPid = request(List.of(), span("three", T0).build());
    ExportTraceServiceRequest both =
        withPid.toBuilder().addResourceSpans(withoutPid.getResourceSpans(0)).build();

    SpanBatch b = SpanBatch.of(both, new ClockSync());

    assertThat(b.phases()).extracting(Phase::name).containsExactly("one", "two", "three");
    assertThat(b.phases()).extracting(Phase::pid).containsExactly(10, 10, 0);
    assertThat(b.phases()).extracting(Phase::tid).containsExactly(11, 0, 0);
    assertThat(b.phases().get(1).span().resource().get(AttributeKey.stringKey("service.name")))
        .isEqualTo("a");
    assertThat(b.phases().get(2).span().resource().isEmpty()).isTrue();
    assertThat(b.withoutPid()).isEqualTo(1);
    assertThat(b.withoutThread()).isEqualTo(2);
    assertThat(b.matched(SpanBatch.MatchedBy.PID)).isEqualTo(2);
    assertThat(b.matched(SpanBatch.MatchedBy.NONE)).isEqualTo(1);
    assertThat(b.matched(SpanBatch.MatchedBy.CONNECTION)).isZero();
    assertThat(b.invalid()).isZero();
    assertThat(b.rejectionMessage()).isEmpty();
  }

  @Test
  void invalidSpansAreLeftOutAndTheFirstProblemIsNamed() {
    ExportTraceServiceRequest r =
        request(
            List.of(kv("process.pid", 10)),
            span("ok", T0).build(),
            span("short", T0).setSpanId(id("0102")).build(),
            span("late", T0).setEndTimeUnixNano(1).build());

    SpanBatch b = SpanBatch.of(r, new ClockSync());

    assertThat(b.phases()).extracting(Phase::name).containsExactly("ok");
    assertThat(b.invalid()).isEqualTo(2);
    assertThat(b.rejectionMessage())
        .isEqualTo("2 of 3 spans rejected; first: span 'short': span_id is 2 bytes, not 8");
  }

  @Test
  void anEmptyRequestIsAnEmptyBatch() {
    SpanBatch b =
        SpanBatch.of(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.getDefaultInstance())
                .build(),
            new ClockSync());
    assertThat(b.phases()).isEmpty();
    assertThat(b.invalid()).isZero();
  }
}
