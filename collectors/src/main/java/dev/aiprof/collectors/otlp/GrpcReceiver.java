package dev.aiprof.collectors.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.aiprof.collectors.otlp.OtlpMetrics.Outcome;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC: the {@code opentelemetry.proto.collector.trace.v1.TraceService/Export} method on
 * grpc-java's Netty server. gzip request compression works (grpc-java's default decompressors);
 * requests larger than the size limit are refused by gRPC with RESOURCE_EXHAUSTED. A full queue is
 * answered with RESOURCE_EXHAUSTED carrying a {@code google.rpc.RetryInfo}, which OTLP defines as
 * retryable. Other OTLP services (metrics, logs) answer UNIMPLEMENTED.
 *
 * <p>Lifecycle: {@link #start} binds (throws when it cannot), {@link #close} stops; handlers run on
 * the given executor and never block. Thread-safe.
 */
final class GrpcReceiver implements AutoCloseable {
  static final String TRANSPORT = "grpc";

  private final Server server;

  private GrpcReceiver(Server server) {
    this.server = server;
  }

  /**
   * Binds and starts.
   *
   * @throws IOException naming the address and how to change it, when it cannot bind
   */
  static GrpcReceiver start(
      ListenAddress address, int maxRequestBytes, TraceIntake intake, Executor executor)
      throws IOException {
    Server server =
        NettyServerBuilder.forAddress(
                Listening.resolve("OTLP/gRPC", OtlpSettings.GRPC_ADDRESS.key(), address))
            .executor(executor)
            .maxInboundMessageSize(maxRequestBytes)
            .addService(new Service(intake))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw Listening.failure("OTLP/gRPC", OtlpSettings.GRPC_ADDRESS.key(), address, e);
    }
    return new GrpcReceiver(server);
  }

  /** The address it listens on (the real port when configured with 0). */
  InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().getFirst();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static final class Service extends TraceServiceGrpc.TraceServiceImplBase {
    private final TraceIntake intake;

    Service(TraceIntake intake) {
      this.intake = intake;
    }

    @Override
    public void export(
        ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
      TraceIntake.Result r = intake.accept(request, TRANSPORT);
      if (r.outcome() == Outcome.QUEUE_FULL) {
        response.onError(StatusProto.toStatusRuntimeException(queueFull()));
        return;
      }
      response.onNext(r.response());
      response.onCompleted();
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
}
