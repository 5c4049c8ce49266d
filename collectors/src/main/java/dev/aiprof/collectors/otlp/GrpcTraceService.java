package dev.aiprof.collectors.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.aiprof.collectors.otlp.OtlpMetrics.Outcome;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
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
import java.net.InetSocketAddress;
import java.net.SocketAddress;

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

  /** The call's connection: the sender's end, then the receiver's (either may be null). */
  private static final Context.Key<InetSocketAddress[]> CONNECTION =
      Context.key("aiprof-otlp-connection");

  /**
   * Puts each call's connection ends (gRPC's transport attributes) into its context, where the
   * handler reads them to match spans by their connection's origin.
   */
  static final ServerInterceptor CONNECTIONS =
      new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
          InetSocketAddress[] ends = {
            inet(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
            inet(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR))
          };
          return Contexts.interceptCall(
              Context.current().withValue(CONNECTION, ends), call, headers, next);
        }
      };

  private GrpcTraceService() {}

  private static InetSocketAddress inet(SocketAddress a) {
    return a instanceof InetSocketAddress i ? i : null;
  }

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
    InetSocketAddress[] ends = CONNECTION.get();
    TraceIntake.Result r =
        ends == null
            ? intake.accept(request, GrpcReceiver.TRANSPORT)
            : intake.accept(request, GrpcReceiver.TRANSPORT, ends[0], ends[1]);
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
