package dev.aiprof.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import dev.aiprof.report.ReportBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
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

  @Test
  void theProfileCollectorIsAddedUnlessTheUserChoseOtherwise() {
    CollectorCatalog catalog = CollectorCatalog.discover();
    assertThat(DemoRun.collectors(CollectorChoice.DEFAULTS, catalog).enable()).contains("profile");
    CollectorChoice off = new CollectorChoice(Set.of(), Set.of(), Set.of("profile"));
    assertThat(DemoRun.collectors(off, catalog)).isEqualTo(off);
    CollectorChoice only = CollectorChoice.only(Set.of("sched"));
    assertThat(DemoRun.collectors(only, catalog)).isEqualTo(only);
    assertThat(catalog.select(DemoRun.collectors(CollectorChoice.DEFAULTS, catalog)))
        .contains("profile", "sched");
  }

  @Test
  void profilesGoBesideTheOtlpFilesWhereTheReportLooks() {
    DemoOptions o =
        new DemoOptions(1, 1, 1, "java", "tiny", "none", Path.of("/tmp/d"), Path.of("/m"), null);
    assertThat(DemoRun.outputSettings(o)).containsEntry("profile.output-dir", "/tmp/d/profiles");
    assertThat(ReportBuilder.defaultProfiles(o.otlpDir())).isEqualTo(Path.of("/tmp/d/profiles"));
  }
}
