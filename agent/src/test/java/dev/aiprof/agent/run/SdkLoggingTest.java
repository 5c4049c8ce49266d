package dev.aiprof.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class SdkLoggingTest {
  @Test
  void sdkFailuresBecomeOneLineWithTheCause() {
    LogRecord r = new LogRecord(Level.SEVERE, "Failed to export metrics.");
    r.setLoggerName("io.opentelemetry.exporter.internal.http.HttpExporter");
    r.setThrown(
        new RuntimeException("wrapped", new java.net.ConnectException("Connection refused")));
    assertThat(SdkLogging.shorten(r)).isTrue();
    assertThat(r.getThrown()).isNull();
    assertThat(r.getMessage())
        .isEqualTo("Failed to export metrics. (java.net.ConnectException: Connection refused)");
    LogRecord ours = new LogRecord(Level.WARNING, "ours");
    ours.setLoggerName("dev.aiprof.x");
    ours.setThrown(new IllegalStateException());
    SdkLogging.shorten(ours);
    assertThat(ours.getThrown()).isNotNull();
  }
}
