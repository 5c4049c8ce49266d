package dev.aiprof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.config.RunSettings;
import dev.aiprof.collectors.marker.MarkerSettings;
import dev.aiprof.collectors.sched.SchedSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aiprof config check} and {@code run --config} with a YAML file; flags win over it. */
class ConfigCommandTest {
  static final String GOOD =
      """
      # /etc/aiprof/config.yaml
      collectors:
        disable: [jfr, tick]
      sched:
        min-event: 1ms
        min-stall: 2ms
      identity.source: none
      otlp: {http-address: "127.0.0.1:4318", grpc-address: "off"}
      agent:
        shutdown-timeout: 5s
        log-level: info
      otel:
        service.name: aiprof-node-7
        exporter.otlp.endpoint: http://collector:4318
        exporter.otlp.headers: api-key=s3cr3t
      """;

  @TempDir Path dir;

  @Test
  void aGoodFileIsOkAndListsItsKeysWithoutSecrets() throws IOException {
    Path f = Files.writeString(dir.resolve("config.yaml"), GOOD);
    CliRun r = CliRun.of("config", "check", f.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith(f + ": ok, 11 settings\n")
        .contains("collectors.disable")
        .contains("'jfr,tick' (line 3, restart to change)")
        .contains("agent.shutdown-timeout")
        .contains("'5s' (line 10, reloads live on SIGHUP)")
        .contains("otel.exporter.otlp.headers")
        .contains("(secret, not shown)")
        .doesNotContain("s3cr3t");
  }

  @Test
  void aBadFileExitsTwoNamingFileLineKeyAndFix() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("bad.yaml"), GOOD.replace("min-stall: 2ms", "min-stall: soon"));
    CliRun r = CliRun.of("config", "check", f.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("aiprof: config file " + f + " line 6: invalid sched.min-stall 'soon': use a")
        .doesNotContain("s3cr3t");
    CliRun missing = CliRun.of("config", "check", dir.resolve("none.yaml").toString());
    assertThat(missing.status()).isEqualTo(2);
  }

  @Test
  void runReadsTheYamlFileAndFlagsWinOverIt() throws IOException {
    Path f = Files.writeString(dir.resolve("config.yaml"), GOOD + "marker.scan-interval: 5s\n");
    RunCommand c = new RunCommand();
    new picocli.CommandLine(c)
        .parseArgs(
            "--config",
            f.toString(),
            "--set",
            "sched.min-event=3ms",
            "--disable",
            "jfr",
            "--output-dir",
            dir.toString());
    var o = c.options();
    assertThat(o.settings().get(SchedSettings.MIN_EVENT)).isEqualTo(Duration.ofMillis(3));
    assertThat(o.settings().get(SchedSettings.MIN_STALL)).isEqualTo(Duration.ofMillis(2));
    assertThat(o.settings().get(MarkerSettings.SCAN_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.settings().get(RunSettings.SHUTDOWN_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.collectors().disable())
        .as("--disable replaces collectors.disable")
        .isEqualTo(Set.of("jfr"));
    assertThat(o.export().settings())
        .containsEntry("otel.service.name", "aiprof-node-7")
        .containsEntry("otel.exporter.otlp.endpoint", "http://collector:4318");
    RunCommand fileOnly = new RunCommand();
    new picocli.CommandLine(fileOnly)
        .parseArgs("--config", f.toString(), "--output-dir", dir.toString());
    assertThat(fileOnly.options().collectors().disable()).isEqualTo(Set.of("jfr", "tick"));
  }

  @Test
  void anUnknownCollectorInTheFileIsAUsageError() throws IOException {
    Path f = Files.writeString(dir.resolve("c.yaml"), "collectors.only: [sched, gpu-magic]\n");
    CliRun r =
        CliRun.of(
            "run", "--config", f.toString(), "--duration", "1s", "--output-dir", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("unknown collector 'gpu-magic'").contains("collectors.*");
  }
}
