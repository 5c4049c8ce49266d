package dev.aiprof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.identity.IdentitySettings;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.collectors.marker.MarkerSettings;
import dev.aiprof.collectors.otlp.OtlpSettings;
import dev.aiprof.collectors.sched.SchedSettings;
import dev.aiprof.pipeline.CollectorCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aiprof run} with bad input: one line of cause and fix, exit 2, nothing left running. */
class RunCommandTest {
  @TempDir Path dir;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "run";
    all[1] = "--output-dir";
    all[2] = dir.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.of(all);
  }

  @Test
  void badDuration() {
    CliRun r = run("--duration", "soon");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: invalid --duration 'soon': use a number and a unit"
                + " (ns, us, ms, s, m, h), e.g. 10s\n");
  }

  @Test
  void missingFollowedProcess() {
    CliRun r = run("--follow-pid", "2147483647");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: no process with pid 2147483647 (--follow-pid): check the pid with ps\n");
  }

  @Test
  void unknownCollectorNamesTheKnownOnes() {
    CliRun r = run("--collectors", "sched,gpu-magic", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: unknown collector 'gpu-magic': known collectors are [blockio, bpftrace, cuda,"
                + " fileio, host, jfr, marker, net, nvml, otlp, profile, sched, tick, usdt]\n");
  }

  @Test
  void aCollectorBothOnlyAndDisabled() {
    CliRun r = run("--collectors", "sched", "--disable", "sched", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("'sched' is both chosen (--collectors, --enable) and in --disable");
  }

  @Test
  void badEndpointAndAddress() {
    CliRun r = run("--otlp-endpoint", "collector:4318", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("aiprof: invalid --otlp-endpoint 'collector:4318': use an" + " http(s) URL");
    CliRun a = run("--prometheus-address", "everywhere", "--duration", "1s");
    assertThat(a.status()).isEqualTo(2);
    assertThat(a.err())
        .startsWith("aiprof: invalid --prometheus-address 'everywhere': use" + " host:port");
  }

  @Test
  void aBadOtelVariableIsAUsageErrorWithTheSdksReason() {
    System.setProperty("otel.exporter.otlp.protocol", "carrier-pigeon");
    try {
      CliRun r =
          run("--otlp-endpoint", "http://127.0.0.1:4318", "--duration", "1s", "--no-prometheus");
      assertThat(r.status()).isEqualTo(2);
      assertThat(r.err()).startsWith("aiprof: ").contains("carrier-pigeon");
    } finally {
      System.clearProperty("otel.exporter.otlp.protocol");
    }
  }

  @Test
  void anOutputDirThatIsAFile() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    CliRun r = CliRun.of("run", "--output-dir", file.toString(), "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--output-dir " + file + " is not a directory");
  }

  @Test
  void aPrometheusPortInUseSaysHowToPickAnother() throws IOException {
    try (java.net.ServerSocket busy =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRun r =
          run("--prometheus-address", "127.0.0.1:" + busy.getLocalPort(), "--duration", "1s");
      assertThat(r.status()).isEqualTo(2);
      assertThat(r.err())
          .startsWith("aiprof: ")
          .contains("Address already in use")
          .contains("choose another --prometheus-address, or --no-prometheus");
    }
  }

  @Test
  void collectorSettingsReachTheAgent() {
    RunCommand c = new RunCommand();
    new picocli.CommandLine(c)
        .parseArgs(
            "--set",
            "otlp.http-address=127.0.0.1:0",
            "--set",
            "otlp.grpc-address=off",
            "--set",
            "sched.min-event=1ms");
    Settings s = c.options().settings();
    assertThat(s.get(OtlpSettings.HTTP_ADDRESS)).hasToString("127.0.0.1:0");
    assertThat(s.get(OtlpSettings.GRPC_ADDRESS).off()).isTrue();
    assertThat(s.get(SchedSettings.MIN_EVENT)).isEqualTo(Duration.ofMillis(1));
    assertThat(s.isSet(SchedSettings.RETENTION)).isFalse();
  }

  @Test
  void helpListsRun() {
    assertThat(CliRun.of("--help").out()).contains("run");
    CliRun r = CliRun.of("run", "--help");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains(
            "--otlp-endpoint",
            "--no-prometheus",
            "--follow-pid",
            "--set",
            "OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @Test
  void aSettingWithoutAValueOrWithAnUnknownPrefixIsAUsageError() {
    CliRun bare = run("--set", "identity.source", "--duration", "1s");
    assertThat(bare.status()).isEqualTo(2);
    assertThat(bare.err()).contains("--set").contains("KEY=VALUE");
    CliRun typo = run("--set", "markr.libraries=/x.so", "--duration", "1s");
    assertThat(typo.status()).isEqualTo(2);
    assertThat(typo.err())
        .isEqualTo(
            "aiprof: unknown setting 'markr.libraries': did you mean 'marker.libraries'? (aiprof"
                + " run --help lists every key)\n");
  }

  @Test
  void aMissingNvmlLibraryIsAUsageError() {
    CliRun r = run("--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: invalid nvml.library '/nonexistent/libnvidia-ml.so.1': no such file (name the"
                + " driver's libnvidia-ml.so.1, e.g. /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1, or"
                + " leave it out)\n");
  }

  @Test
  void everyKeyIsKnownAndEveryValueOfItsForm() {
    CliRun misspelt = run("--set", "sched.min-evnt=5ms", "--duration", "1s");
    assertThat(misspelt.status()).isEqualTo(2);
    assertThat(misspelt.err())
        .startsWith("aiprof: unknown setting 'sched.min-evnt': did you mean 'sched.min-event'?");
    CliRun ture = run("--set", "sched.trace-followed=ture", "--duration", "1s");
    assertThat(ture.status()).isEqualTo(2);
    assertThat(ture.err())
        .isEqualTo("aiprof: invalid sched.trace-followed 'ture': use true or false\n");
    CliRun size = run("--set", "otlp.max-request-size=2047MiB", "--duration", "1s");
    assertThat(size.status()).isEqualTo(2);
    assertThat(size.err())
        .startsWith("aiprof: invalid otlp.max-request-size '2047MiB': use a size");
    CliRun bad = run("--set", "marker.scan-interval=often", "--duration", "1s");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err())
        .startsWith("aiprof: invalid marker.scan-interval 'often': use a duration from 100ms");
  }

  @Test
  void helpListsEveryKey() {
    CliRun r = CliRun.of("run", "--help");
    for (var key : AgentSettings.catalog(CollectorCatalog.discover()).all()) {
      assertThat(r.out()).contains(key.key());
    }
  }

  @Test
  void aBadIdentitySettingNamesTheKeyAndTheFix() {
    CliRun r = run("--set", "identity.source=magic", "--duration", "1s", "--no-prometheus");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).startsWith("aiprof: ").contains("identity.source").contains("kubelet");
  }

  @Test
  void theConfigFileGivesSdkPropertiesAndSettingsAndFlagsWinOverIt() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("aiprof.properties"),
            """
            # exporter settings, as the OpenTelemetry Java agent's configuration file
            otel.exporter.otlp.endpoint=http://collector:4318
            otel.service.name = aiprof-node-7
            identity.source=none
            marker.scan-interval=5s
            """);
    RunCommand c = new RunCommand();
    new picocli.CommandLine(c)
        .parseArgs("--config", file.toString(), "--set", "marker.scan-interval=1s");
    var o = c.options();
    assertThat(o.export().settings())
        .containsEntry("otel.exporter.otlp.endpoint", "http://collector:4318")
        .containsEntry("otel.service.name", "aiprof-node-7")
        .doesNotContainKey("identity.source");
    assertThat(o.settings().get(IdentitySettings.SOURCE)).isEqualTo("none");
    assertThat(o.settings().get(MarkerSettings.SCAN_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aConfigFileKeyOfNeitherKindOrAMissingFileIsAUsageError() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.properties"), "exporter.endpoint=x\n");
    CliRun bad = run("--config", file.toString(), "--duration", "1s");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err())
        .startsWith("aiprof: config file " + file + " line 1: unknown setting 'exporter.endpoint'")
        .contains("otel.*");
    CliRun missing = run("--config", dir.resolve("none.properties").toString(), "--duration", "1s");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .startsWith("aiprof: config file " + dir.resolve("none.properties") + ": cannot read it");
  }
}
