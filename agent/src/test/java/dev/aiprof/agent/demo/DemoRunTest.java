package dev.aiprof.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo always writes the OTLP files, and also sends over OTLP when the environment says so. */
class DemoRunTest {
  @Test
  void filesAlwaysOtlpToo() {
    assertThat(DemoRun.exportSettings(Map.of()))
        .containsEntry("otel.traces.exporter", "aiprof-file")
        .containsEntry("otel.metrics.exporter", "aiprof-file");
    assertThat(DemoRun.exportSettings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")))
        .containsEntry("otel.traces.exporter", "aiprof-file,otlp")
        .containsEntry("otel.metrics.exporter", "aiprof-file,otlp");
    assertThat(
            DemoRun.exportSettings(
                Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces")))
        .containsEntry("otel.traces.exporter", "aiprof-file,otlp")
        .containsEntry("otel.metrics.exporter", "aiprof-file");
  }

  @Test
  void theReceiverIsOnAnEphemeralLoopbackPort() {
    assertThat(DemoRun.agentSettings())
        .containsEntry("otlp.http-address", "127.0.0.1:0")
        .containsEntry("otlp.grpc-address", "off");
  }
}
