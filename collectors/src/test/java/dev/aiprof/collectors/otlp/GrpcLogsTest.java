package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.log.ThrottledLog;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** gRPC's own log records go through the throttle: one line per logger and level per minute. */
class GrpcLogsTest {
  @Test
  void aThousandGrpcStackTracesAreOneLine() {
    GrpcLogs.install();
    Logger grpc = Logger.getLogger("io.grpc.internal.SerializingExecutor");
    try (LogCapture log = new LogCapture()) {
      for (int i = 0; i < 1000; i++) {
        grpc.log(Level.SEVERE, "Exception while executing runnable", new RuntimeException("x" + i));
      }
      System.out.printf(
          "grpc-logs: 1000 gRPC SEVERE records with stack traces -> %d lines, %d suppressed%n",
          log.lines(), ThrottledLog.suppressed("grpc.SerializingExecutor.ERROR"));
      assertThat(log.lines()).isEqualTo(1);
      assertThat(log.text())
          .contains("gRPC: Exception while executing runnable (java.lang.RuntimeException: x0)");
      assertThat(ThrottledLog.suppressed("grpc.SerializingExecutor.ERROR")).isEqualTo(999);
    }
  }
}
