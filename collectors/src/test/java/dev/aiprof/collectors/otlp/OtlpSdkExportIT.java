package dev.aiprof.collectors.otlp;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.api.common.AttributeKey.valueKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.phase.ForeignSpan;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Spans made by the OpenTelemetry Java SDK and sent by its own OTLP exporters (gzip on) arrive as
 * phases of this process and thread, whole.
 */
class OtlpSdkExportIT {
  private static final long FEW_MS = 5_000_000;

  enum Protocol {
    GRPC,
    HTTP_PROTOBUF
  }

  private static SpanExporter exporter(Protocol p, RunningReceiver r) {
    return switch (p) {
      case GRPC ->
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + r.grpcPort())
              .setCompression("gzip")
              .build();
      case HTTP_PROTOBUF ->
          OtlpHttpSpanExporter.builder().setEndpoint(r.tracesUrl()).setCompression("gzip").build();
    };
  }

  /** This thread's kernel thread id, from /proc/thread-self → "pid/task/tid". */
  static int osTid() throws Exception {
    return Integer.parseInt(
        Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  @SuppressWarnings("try") // the Scope only makes the parent current
  void sdkSpansBecomePhasesOfTheirProcessAndThreadWithIdsTimesAndAttributesIntact(Protocol protocol)
      throws Exception {
    int pid = (int) ProcessHandle.current().pid();
    int tid = osTid();
    SpanContext remoteParent =
        SpanContext.createFromRemoteParent(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "x").build());
    SpanContext linked =
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    try (RunningReceiver r = new RunningReceiver(new PhaseRecorder(), Map.of());
        SdkTracerProvider provider = provider(exporter(protocol, r), pid)) {
      Tracer tracer = provider.get("aiprof.it", "1.2.3");
      long before = System.nanoTime();
      Span step =
          tracer
              .spanBuilder("step")
              .setParent(Context.root().with(Span.wrap(remoteParent)))
              .setSpanKind(SpanKind.SERVER)
              .setAllAttributes(everyType(tid))
              .startSpan();
      Span decode;
      try (Scope current = step.makeCurrent()) {
        decode =
            tracer
                .spanBuilder("decode")
                .setAttribute(longKey("thread.id"), (long) tid)
                .addLink(linked, Attributes.of(stringKey("why"), "batched"))
                .startSpan();
        decode.addEvent("token", Attributes.of(longKey("index"), 3L));
        decode.setStatus(StatusCode.ERROR, "out of memory");
        decode.end();
      }
      step.end();
      long after = System.nanoTime();
      CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).as("the SDK's exporter succeeded").isTrue();

      List<Phase> phases = r.recorder.await(2);
      assertThat(phases).hasSize(2);
      // The engine asked the follow service for the spans' process: this JVM, which is the agent
      // here, and never a workload it follows.
      r.pipeline.awaitCorrelated(2, Duration.ofSeconds(10));
      assertThat(r.followRequests(FollowOutcome.NOT_WORKLOAD)).isEqualTo(2);
      assertThat(r.pipeline.pipeline().follows().followed(pid)).isEmpty();
      assertThat(r.follower.followed()).isEmpty();
      Phase stepPhase = r.recorder.named("step");
      Phase decodePhase = r.recorder.named("decode");

      for (Phase p : phases) {
        assertThat(p.origin()).isEqualTo(PhaseOrigin.OTLP);
        assertThat(p.pid()).isEqualTo(pid);
        assertThat(p.tid()).isEqualTo(tid);
        assertThat(p.depth()).isZero();
        assertThat(p.startNs()).isBetween(before - FEW_MS, after + FEW_MS);
        assertThat(p.endNs()).isBetween(p.startNs(), after + FEW_MS);
      }
      assertSameSpan(stepPhase, ((ReadableSpan) step).toSpanData());
      assertSameSpan(decodePhase, ((ReadableSpan) decode).toSpanData());

      ForeignSpan s = stepPhase.span();
      assertThat(s.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(s.parentSpanId()).isEqualTo("b7ad6b7169203331");
      assertThat(s.traceState()).isEqualTo("vendor=x");
      assertThat(s.flags() & 0xff).isEqualTo(1);
      assertThat(s.kind()).isEqualTo(SpanKind.SERVER);
      assertThat(s.attributes()).isEqualTo(everyType(tid));
      assertThat(stepPhase.attributes()).isEqualTo(everyType(tid));
      assertThat(s.resource().get(longKey("process.pid"))).isEqualTo((long) pid);
      assertThat(s.resource().get(stringKey("service.name"))).isEqualTo("otlp-it");
      assertThat(s.scopeName()).isEqualTo("aiprof.it");
      assertThat(s.scopeVersion()).isEqualTo("1.2.3");

      ForeignSpan d = decodePhase.span();
      assertThat(d.traceId()).isEqualTo(s.traceId());
      assertThat(d.parentSpanId()).as("the child names its parent").isEqualTo(s.spanId());
      assertThat(d.status()).isEqualTo(StatusCode.ERROR);
      assertThat(d.statusMessage()).isEqualTo("out of memory");
      assertThat(d.events()).hasSize(1);
      assertThat(d.events().getFirst().name()).isEqualTo("token");
      assertThat(d.events().getFirst().attributes()).isEqualTo(Attributes.of(longKey("index"), 3L));
      assertThat(d.links())
          .containsExactly(
              new ForeignSpan.Link(
                  "4bf92f3577b34da6a3ce929d0e0e4736",
                  "00f067aa0ba902b7",
                  Attributes.of(stringKey("why"), "batched")));

      RecordingSinkValues m = new RecordingSinkValues(r.metrics());
      assertThat(m.get(OtlpMetrics.SPANS_RECEIVED, Attributes.empty())).isEqualTo(2);
      assertThat(m.get(OtlpMetrics.SPANS_WITHOUT_PID, Attributes.empty())).isZero();
      String transport = protocol == Protocol.GRPC ? "grpc" : "http";
      assertThat(
              m.get(
                  OtlpMetrics.REQUESTS,
                  Attributes.of(OtlpMetrics.TRANSPORT, transport, OtlpMetrics.OUTCOME, "accepted")))
          .isEqualTo(2);
    }
  }

  private static void assertSameSpan(Phase p, SpanData sdk) {
    ForeignSpan f = p.span();
    assertThat(f.traceId()).isEqualTo(sdk.getTraceId());
    assertThat(f.spanId()).isEqualTo(sdk.getSpanId());
    assertThat(f.parentSpanId()).isEqualTo(sdk.getParentSpanId());
    assertThat(f.startEpochNanos()).isEqualTo(sdk.getStartEpochNanos());
    assertThat(f.endEpochNanos()).isEqualTo(sdk.getEndEpochNanos());
    assertThat(p.durationNs()).isEqualTo(sdk.getEndEpochNanos() - sdk.getStartEpochNanos());
  }

  private static Attributes everyType(int tid) {
    return Attributes.builder()
        .put(longKey("thread.id"), (long) tid)
        .put(stringKey("gen_ai.request.model"), "llama-3-8b")
        .put(booleanKey("streaming"), true)
        .put(doubleKey("temperature"), 0.7)
        .put(stringArrayKey("stop"), List.of("</s>", "\n\n"))
        .put(longArrayKey("shape"), List.of(8L, 4096L))
        .put(doubleArrayKey("scores"), List.of(0.25, 0.75))
        .put(booleanArrayKey("mask"), List.of(true, false))
        .put(valueKey("blob"), Value.of(new byte[] {1, 2, 3}))
        .put(valueKey("config"), Value.of(KeyValue.of("batch", Value.of(32L))))
        .build();
  }

  private static SdkTracerProvider provider(SpanExporter exporter, int pid) {
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        longKey("process.pid"), (long) pid, stringKey("service.name"), "otlp-it")));
    return SdkTracerProvider.builder()
        .setResource(resource)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }
}
