package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.PARENT;
import static dev.aiprof.collectors.otlp.TestSpans.SPAN;
import static dev.aiprof.collectors.otlp.TestSpans.TRACE;
import static dev.aiprof.collectors.otlp.TestSpans.id;
import static dev.aiprof.collectors.otlp.TestSpans.kv;
import static dev.aiprof.collectors.otlp.TestSpans.span;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.aiprof.api.phase.ForeignSpan;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

class SpanConverterTest {
  private static final long T0 = 1_700_000_000_123_456_789L;

  @Test
  void keepsEveryFieldOfTheSpan() {
    Span s =
        span("decode", T0, kv("gen_ai.request.model", "llama"), kv("thread.id", 4242))
            .setTraceId(id("5B8EFFF798038103D269B633813FC60C"))
            .setParentSpanId(id(PARENT))
            .setTraceState("vendor=a,other=b")
            .setFlags(0x301)
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setEndTimeUnixNano(T0 + 2_500_000)
            .setStatus(
                Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("oom"))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("token")
                    .setTimeUnixNano(T0 + 1_000)
                    .addAttributes(kv("index", 3)))
            .addLinks(
                Span.Link.newBuilder()
                    .setTraceId(id("0102030405060708090a0b0c0d0e0f10"))
                    .setSpanId(id("1112131415161718"))
                    .addAttributes(kv("why", "batch")))
            .build();
    Attributes resource = Attributes.of(stringKey("service.name"), "vllm");
    InstrumentationScope scope =
        InstrumentationScope.newBuilder().setName("vllm.engine").setVersion("0.6").build();

    ForeignSpan f = SpanConverter.convert(s, resource, scope);

    assertThat(SpanConverter.problem(s)).isNull();
    assertThat(f.traceId()).isEqualTo(TRACE);
    assertThat(f.spanId()).isEqualTo(SPAN);
    assertThat(f.parentSpanId()).isEqualTo(PARENT);
    assertThat(f.traceState()).isEqualTo("vendor=a,other=b");
    assertThat(f.flags()).isEqualTo(0x301);
    assertThat(f.name()).isEqualTo("decode");
    assertThat(f.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(f.startEpochNanos()).isEqualTo(T0);
    assertThat(f.endEpochNanos()).isEqualTo(T0 + 2_500_000);
    assertThat(f.status()).isEqualTo(StatusCode.ERROR);
    assertThat(f.statusMessage()).isEqualTo("oom");
    assertThat(f.attributes().get(stringKey("gen_ai.request.model"))).isEqualTo("llama");
    assertThat(f.attributes().get(longKey("thread.id"))).isEqualTo(4242L);
    assertThat(f.events())
        .containsExactly(
            new ForeignSpan.Event("token", T0 + 1_000, Attributes.of(longKey("index"), 3L)));
    assertThat(f.links())
        .containsExactly(
            new ForeignSpan.Link(
                "0102030405060708090a0b0c0d0e0f10",
                "1112131415161718",
                Attributes.of(stringKey("why"), "batch")));
    assertThat(f.resource()).isEqualTo(resource);
    assertThat(f.scopeName()).isEqualTo("vllm.engine");
    assertThat(f.scopeVersion()).isEqualTo("0.6");
  }

  @Test
  void aRootSpanHasAnEmptyParentAndDefaults() {
    ForeignSpan f =
        SpanConverter.convert(
            span("root", T0).build(),
            Attributes.empty(),
            InstrumentationScope.getDefaultInstance());
    assertThat(f.parentSpanId()).isEmpty();
    assertThat(f.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(f.status()).isEqualTo(StatusCode.UNSET);
    assertThat(f.statusMessage()).isEmpty();
    assertThat(f.events()).isEmpty();
    assertThat(f.links()).isEmpty();
    assertThat(f.scopeName()).isEmpty();
  }

  @Test
  void mapsEveryKindAndStatus() {
    assertThat(SpanConverter.kind(Span.SpanKind.SPAN_KIND_UNSPECIFIED))
        .isEqualTo(SpanKind.INTERNAL);
    assertThat(SpanConverter.kind(Span.SpanKind.SPAN_KIND_INTERNAL)).isEqualTo(SpanKind.INTERNAL);
    assertThat(SpanConverter.kind(Span.SpanKind.SPAN_KIND_CLIENT)).isEqualTo(SpanKind.CLIENT);
    assertThat(SpanConverter.kind(Span.SpanKind.SPAN_KIND_PRODUCER)).isEqualTo(SpanKind.PRODUCER);
    assertThat(SpanConverter.kind(Span.SpanKind.SPAN_KIND_CONSUMER)).isEqualTo(SpanKind.CONSUMER);
    assertThat(SpanConverter.kind(Span.SpanKind.UNRECOGNIZED)).isEqualTo(SpanKind.INTERNAL);
    assertThat(SpanConverter.status(Status.StatusCode.STATUS_CODE_OK)).isEqualTo(StatusCode.OK);
    assertThat(SpanConverter.status(Status.StatusCode.STATUS_CODE_UNSET))
        .isEqualTo(StatusCode.UNSET);
  }

  @Test
  void namesWhatMakesASpanInvalid() {
    assertThat(SpanConverter.problem(span("a", T0).setTraceId(id("0102")).build()))
        .isEqualTo("span 'a': trace_id is 2 bytes, not 16");
    assertThat(
            SpanConverter.problem(
                span("a", T0).setTraceId(ByteString.copyFrom(new byte[16])).build()))
        .isEqualTo("span 'a': trace_id is all zeros");
    assertThat(SpanConverter.problem(span("a", T0).setSpanId(ByteString.EMPTY).build()))
        .isEqualTo("span 'a': span_id is 0 bytes, not 8");
    assertThat(SpanConverter.problem(span("a", T0).setParentSpanId(id("01")).build()))
        .isEqualTo("span 'a': parent_span_id is 1 bytes, not 8");
    assertThat(
            SpanConverter.problem(
                span("a", T0).addLinks(Span.Link.newBuilder().setTraceId(id(TRACE))).build()))
        .isEqualTo("span 'a': links[0].span_id is 0 bytes, not 8");
    assertThat(SpanConverter.problem(span("a", 0).build()))
        .isEqualTo("span 'a': start_time_unix_nano is not set");
    assertThat(SpanConverter.problem(span("a", T0).setEndTimeUnixNano(T0 - 1).build()))
        .isEqualTo("span 'a': end_time_unix_nano is before start_time_unix_nano");
  }
}
