package dev.aiprof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aiprof run} with bad input: one line of cause and fix, exit 2, nothing left running. */
class RunCommandTest {
  @TempDir Path dir;

  private MainTest.Run run(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "run";
    all[1] = "--output-dir";
    all[2] = dir.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return MainTest.run(all);
  }

  @Test
  void badDuration() {
    MainTest.Run r = run("--duration", "soon");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: invalid --duration 'soon': use a number and a unit"
                + " (ns, us, ms, s, m, h), e.g. 10s\n");
  }

  @Test
  void missingFollowedProcess() {
    MainTest.Run r = run("--follow-pid", "2147483647");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: no process with pid 2147483647 (--follow-pid): check the pid with ps\n");
  }

  @Test
  void unknownCollectorNamesTheKnownOnes() {
    MainTest.Run r = run("--collectors", "sched,gpu-magic", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: unknown collector 'gpu-magic': known collectors are [sched, marker, otlp,"
                + " jfr]\n");
  }

  @Test
  void aCollectorBothOnlyAndDisabled() {
    MainTest.Run r = run("--collectors", "sched", "--disable", "sched", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("'sched' is both in --collectors and in --disable");
  }

  @Test
  void badEndpointAndAddress() {
    MainTest.Run r = run("--otlp-endpoint", "collector:4318", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("aiprof: invalid --otlp-endpoint 'collector:4318': use an" + " http(s) URL");
    MainTest.Run a = run("--prometheus-address", "everywhere", "--duration", "1s");
    assertThat(a.status()).isEqualTo(2);
    assertThat(a.err())
        .startsWith("aiprof: invalid --prometheus-address 'everywhere': use" + " host:port");
  }

  @Test
  void aBadOtelVariableIsAUsageErrorWithTheSdksReason() {
    System.setProperty("otel.exporter.otlp.protocol", "carrier-pigeon");
    try {
      MainTest.Run r =
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
    MainTest.Run r = MainTest.run("run", "--output-dir", file.toString(), "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--output-dir " + file + " is not a directory");
  }

  @Test
  void aPrometheusPortInUseSaysHowToPickAnother() throws IOException {
    try (java.net.ServerSocket busy =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      MainTest.Run r =
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
    assertThat(c.options().settings())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "otlp.http-address", "127.0.0.1:0",
                "otlp.grpc-address", "off",
                "sched.min-event", "1ms"));
  }

  @Test
  void helpListsRun() {
    assertThat(MainTest.run("--help").out()).contains("run");
    MainTest.Run r = MainTest.run("run", "--help");
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
    MainTest.Run bare = run("--set", "identity.source", "--duration", "1s");
    assertThat(bare.status()).isEqualTo(2);
    assertThat(bare.err()).contains("--set").contains("KEY=VALUE");
    MainTest.Run typo = run("--set", "markr.libraries=/x.so", "--duration", "1s");
    assertThat(typo.status()).isEqualTo(2);
    assertThat(typo.err())
        .isEqualTo(
            "aiprof: unknown setting 'markr.libraries' (--set): a key starts with one of"
                + " [correlation, identity, jfr, marker, otlp, sched] and a dot, e.g. --set"
                + " identity.source=kubelet\n");
  }

  @Test
  void aBadIdentitySettingNamesTheKeyAndTheFix() {
    MainTest.Run r = run("--set", "identity.source=magic", "--duration", "1s", "--no-prometheus");
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
    assertThat(o.settings())
        .containsEntry("identity.source", "none")
        .containsEntry("marker.scan-interval", "1s");
  }

  @Test
  void aConfigFileKeyOfNeitherKindOrAMissingFileIsAUsageError() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.properties"), "exporter.endpoint=x\n");
    MainTest.Run bad = run("--config", file.toString(), "--duration", "1s");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err())
        .startsWith("aiprof: unknown key 'exporter.endpoint' in the config file " + file)
        .contains("otel.*");
    MainTest.Run missing =
        run("--config", dir.resolve("none.properties").toString(), "--duration", "1s");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .startsWith("aiprof: cannot read the config file")
        .contains("none.properties");
  }
}
