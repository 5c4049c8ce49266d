package dev.aiprof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings beyond their bounds and listen addresses beyond loopback (issue 12, finding 8): exit 2
 * with one line naming the setting, the bound and the fix; nothing starts.
 */
class SettingBoundsTest {
  @TempDir Path dir;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "run";
    all[1] = "--output-dir";
    all[2] = dir.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    CliRun r = CliRun.of(all);
    System.out.printf("bounds: %s -> exit %d: %s", String.join(" ", args), r.status(), r.err());
    return r;
  }

  @Test
  void aRequestSizeAboveItsMaximumIsRefused() {
    CliRun r = run("--set", "otlp.max-request-size=2047MiB", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("otlp.max-request-size")
        .contains("2047MiB")
        .contains("a size from 1B to 64MiB");
  }

  @Test
  void aDurationAboveAYearIsRefused() {
    CliRun r = run("--duration", "99999999999h");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: invalid --duration '99999999999h': use more than 0 and at most 8760h (a"
                + " year), e.g. 10s; leave it out to run until SIGTERM\n");
  }

  @Test
  void theReceiverListensBeyondLoopbackOnlyWhenAsked() {
    CliRun r = run("--set", "otlp.http-address=0.0.0.0:0", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: otlp.http-address '0.0.0.0' is not a loopback address: the agent listens"
                + " beyond this host only when told so; set otlp.listen-public=true to listen"
                + " there, or use 127.0.0.1 or [::1]\n");
  }

  @Test
  void theMetricsEndpointListensBeyondLoopbackOnlyWhenAsked() {
    CliRun r = run("--prometheus-address", "0.0.0.0:0", "--duration", "1s");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("aiprof: --prometheus-address '0.0.0.0' is not a loopback address")
        .contains("set aiprof.exporter.prometheus.listen-public=true");
  }
}
