package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.id;
import static dev.aiprof.collectors.otlp.TestSpans.kv;
import static dev.aiprof.collectors.otlp.TestSpans.request;
import static dev.aiprof.collectors.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.phase.Phase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Raw OTLP/gRPC calls against the running receiver: compression, limits, full queue. */
class OtlpGrpcIT {
  private static final long T0 = 1_700_000_000_000_000_000L;

  private static ManagedChannel channel(RunningReceiver r) {
    return NettyChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
  }

  private static void close(ManagedChannel c) throws InterruptedException {
    c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static TraceServiceGrpc.TraceServiceBlockingStub stub(ManagedChannel c) {
    return TraceServiceGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void gzipRequestsAreAcceptedAndInvalidSpansArePartialSuccess() throws Exception {
    try (RunningReceiver r = new RunningReceiver(new PhaseRecorder(), Map.of())) {
      ManagedChannel c = channel(r);
      try {
        ExportTraceServiceRequest req =
            request(
                List.of(kv("process.pid", 99)),
                span("kept", T0, kv("thread.id", 100)).build(),
                span("zero", T0).setSpanId(id("0000000000000000")).build());
        ExportTraceServiceResponse answer = stub(c).withCompression("gzip").export(req);

        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(answer.getPartialSuccess().getErrorMessage())
            .endsWith("span 'zero': span_id is all zeros");
        Phase p = r.recorder.await(1).getFirst();
        assertThat(p.name()).isEqualTo("kept");
        assertThat(p.pid()).isEqualTo(99);
        assertThat(p.tid()).isEqualTo(100);
      } finally {
        close(c);
      }
    }
  }

  @Test
  void spansWithoutAPidAreStillDeliveredAndCounted() throws Exception {
    try (RunningReceiver r = new RunningReceiver(new PhaseRecorder(), Map.of())) {
      ManagedChannel c = channel(r);
      try {
        stub(c).export(request(List.of(kv("service.name", "no-pid")), span("orphan", T0).build()));

        Phase p = r.recorder.await(1).getFirst();
        assertThat(p.pid()).isZero();
        assertThat(p.tid()).isZero();
        assertThat(p.span().spanId()).isEqualTo(TestSpans.SPAN);
        // The engine describes it without asking the follow service for any process.
        assertThat(r.pipeline.awaitCorrelated(1, Duration.ofSeconds(10)))
            .singleElement()
            .satisfies(x -> assertThat(x.phase().span().spanId()).isEqualTo(TestSpans.SPAN));
        for (FollowOutcome o : FollowOutcome.values()) {
          assertThat(r.followRequests(o)).as("no process to follow: " + o).isZero();
        }
        assertThat(r.follower.followed()).isEmpty();
        RecordingSinkValues m = new RecordingSinkValues(r.metrics());
        assertThat(m.get(OtlpMetrics.SPANS_WITHOUT_PID, Attributes.empty())).isEqualTo(1);
        assertThat(m.get(OtlpMetrics.SPANS_WITHOUT_THREAD, Attributes.empty())).isEqualTo(1);
        assertThat(m.get(OtlpMetrics.SPANS_RECEIVED, Attributes.empty())).isEqualTo(1);
      } finally {
        close(c);
      }
    }
  }

  @Test
  void aFullQueueIsResourceExhaustedWithRetryInfo() throws Exception {
    PhaseRecorder held = new PhaseRecorder(true);
    try (RunningReceiver r =
        new RunningReceiver(held, Map.of(OtlpSettings.QUEUE_SIZE.key(), "1"))) {
      ManagedChannel c = channel(r);
      try {
        stub(c).export(request(List.of(), span("first", T0).build()));
        StatusRuntimeException e =
            catchThrowableOfType(
                StatusRuntimeException.class,
                () -> stub(c).export(request(List.of(), span("second", T0).build())));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription()).contains("span queue is full");
        com.google.rpc.Status detail = StatusProto.fromThrowable(e);
        assertThat(detail.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
        assertThat(detail.getDetailsList()).hasSize(1);
        Any retry = detail.getDetails(0);
        assertThat(retry.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);
        RecordingSinkValues m = new RecordingSinkValues(r.metrics());
        assertThat(
                m.get(OtlpMetrics.SPANS_REJECTED, Attributes.of(OtlpMetrics.REASON, "queue_full")))
            .isEqualTo(1);
        assertThat(
                m.get(
                    OtlpMetrics.REQUESTS,
                    Attributes.of(
                        OtlpMetrics.TRANSPORT, "grpc", OtlpMetrics.OUTCOME, "queue_full")))
            .isEqualTo(1);
        held.release();
        assertThat(held.await(1)).extracting(Phase::name).containsExactly("first");
      } finally {
        close(c);
      }
    }
  }

  @Test
  void requestsAboveTheLimitAndOtherSignalsAreRefusedByGrpc() throws Exception {
    try (RunningReceiver r =
        new RunningReceiver(
            new PhaseRecorder(), Map.of(OtlpSettings.MAX_REQUEST_SIZE.key(), "1KiB"))) {
      ManagedChannel c = channel(r);
      try {
        ExportTraceServiceRequest big =
            request(List.of(kv("padding", "x".repeat(2000))), span("big", T0).build());
        StatusRuntimeException tooBig =
            catchThrowableOfType(StatusRuntimeException.class, () -> stub(c).export(big));
        assertThat(tooBig.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(StatusProto.fromThrowable(tooBig).getDetailsList())
            .as("no RetryInfo: not retryable")
            .isEmpty();

        StatusRuntimeException metrics =
            catchThrowableOfType(
                StatusRuntimeException.class,
                () ->
                    MetricsServiceGrpc.newBlockingStub(c)
                        .export(ExportMetricsServiceRequest.getDefaultInstance()));
        assertThat(metrics.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(r.recorder.phases).isEmpty();
      } finally {
        close(c);
      }
    }
  }
}
