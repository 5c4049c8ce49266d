package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile OTLP/gRPC calls against the running receiver (issue 12, finding 6): malformed messages by
 * the thousand are refused, counted by gRPC's status, and do not flood the log.
 */
class OtlpGrpcHostileIT {
  private static final MethodDescriptor.Marshaller<byte[]> RAW =
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

  private static final MethodDescriptor<byte[], byte[]> EXPORT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
          .setRequestMarshaller(RAW)
          .setResponseMarshaller(RAW)
          .build();

  @Test
  void aThousandMalformedCallsAreRefusedWithoutFloodingTheLog() throws Exception {
    try (RunningReceiver r = new RunningReceiver(new PhaseRecorder(), Map.of());
        LogCapture log = new LogCapture()) {
      ManagedChannel c =
          NettyChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
      int refused = 0;
      byte[] garbage = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x01};
      try {
        for (int i = 0; i < 1000; i++) {
          try {
            ClientCalls.blockingUnaryCall(
                c, EXPORT, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), garbage);
          } catch (StatusRuntimeException e) {
            refused++;
          }
        }
      } finally {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      System.out.printf(
          "grpc-malformed: 1000 malformed calls, %d refused, %d log records, %d log lines%n",
          refused, log.records(), log.lines());
      assertThat(refused).isEqualTo(1000);
      assertThat(log.lines()).as(log.text()).isLessThanOrEqualTo(10);
    }
  }
}
