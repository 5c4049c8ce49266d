package dev.aiprof.collectors.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.aiprof.collectors.otlp.OtlpMetrics.Outcome;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OTLP trace service with the request taken as bytes and parsed by the handler, not by gRPC's
 * marshaller: a malformed message is then answered INVALID_ARGUMENT and counted as {@code
 * bad_request}, where gRPC's own parsing would throw on the executor and log a stack trace per
 * call. A full queue is answered with RESOURCE_EXHAUSTED carrying a {@code google.rpc.RetryInfo},
 * which OTLP defines as retryable. Stateless.
 */
final class GrpcTraceService {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream in) {
          try {
            return in.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private GrpcTraceService() {}

  static ServerServiceDefinition definition(TraceIntake intake, OtlpCounters counters) {
    MethodDescriptor<byte[], byte[]> export =
        TraceServiceGrpc.getExportMethod().toBuilder(BYTES, BYTES).build();
    return ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
        .addMethod(
            export, ServerCalls.asyncUnaryCall((req, out) -> export(req, out, intake, counters)))
        .build();
  }

  private static void export(
      byte[] bytes, StreamObserver<byte[]> out, TraceIntake intake, OtlpCounters counters) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      counters.request(GrpcReceiver.TRANSPORT, Outcome.BAD_REQUEST);
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "the message is not a protobuf-encoded OTLP ExportTraceServiceRequest: "
                      + e.getMessage())
              .asRuntimeException());
      return;
    }
    TraceIntake.Result r = intake.accept(request, GrpcReceiver.TRANSPORT);
    if (r.outcome() == Outcome.QUEUE_FULL) {
      out.onError(StatusProto.toStatusRuntimeException(queueFull()));
      return;
    }
    out.onNext(r.response().toByteArray());
    out.onCompleted();
  }

  private static com.google.rpc.Status queueFull() {
    RetryInfo retry =
        RetryInfo.newBuilder()
            .setRetryDelay(Duration.newBuilder().setSeconds(TraceIntake.RETRY_AFTER_SECONDS))
            .build();
    return com.google.rpc.Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
        .setMessage(TraceIntake.queueFullMessage())
        .addDetails(Any.pack(retry))
        .build();
  }
}
