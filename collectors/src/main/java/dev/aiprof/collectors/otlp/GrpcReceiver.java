package dev.aiprof.collectors.otlp;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC: the {@code opentelemetry.proto.collector.trace.v1.TraceService/Export} method on
 * grpc-java's Netty server ({@link GrpcTraceService}). gzip request compression works (grpc-java's
 * default decompressors); requests larger than the size limit are refused by gRPC with
 * RESOURCE_EXHAUSTED; a message that is not an ExportTraceServiceRequest gets INVALID_ARGUMENT (and
 * no stack trace in the log). Other OTLP services (metrics, logs) answer UNIMPLEMENTED.
 *
 * <p>Bounds: at most {@value #MAX_CALLS} calls in flight in all ({@link CallLimit}) and {@value
 * #MAX_CALLS_PER_CONNECTION} per connection, metadata of at most {@value #MAX_METADATA_BYTES}
 * bytes, a TLS-less handshake within {@value #HANDSHAKE_SECONDS} s, idle connections closed after
 * {@value #MAX_IDLE_MINUTES} minutes; gRPC's own log records are throttled ({@link GrpcLogs}).
 *
 * <p>Lifecycle: {@link #start} binds (throws when it cannot), {@link #close} stops; handlers run on
 * the given executor and never block. Thread-safe.
 */
final class GrpcReceiver implements AutoCloseable {
  static final String TRANSPORT = "grpc";
  static final int MAX_CALLS = 64;
  static final int MAX_CALLS_PER_CONNECTION = 16;
  static final int MAX_METADATA_BYTES = 16 * 1024;
  static final int HANDSHAKE_SECONDS = 10;
  static final int MAX_IDLE_MINUTES = 5;

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
      ListenAddress address,
      int maxRequestBytes,
      TraceIntake intake,
      OtlpCounters counters,
      Executor executor)
      throws IOException {
    GrpcLogs.install();
    Server server =
        NettyServerBuilder.forAddress(
                Listening.resolve("OTLP/gRPC", OtlpSettings.GRPC_ADDRESS.key(), address))
            .executor(executor)
            .maxInboundMessageSize(maxRequestBytes)
            .maxInboundMetadataSize(MAX_METADATA_BYTES)
            .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
            .handshakeTimeout(HANDSHAKE_SECONDS, TimeUnit.SECONDS)
            .maxConnectionIdle(MAX_IDLE_MINUTES, TimeUnit.MINUTES)
            .addService(
                ServerInterceptors.intercept(
                    GrpcTraceService.definition(intake, counters),
                    counters.grpcCalls,
                    GrpcTraceService.CONNECTIONS))
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
}
