package dev.aiprof.agent.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.cli.CliRun;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Await;
import dev.aiprof.testing.backends.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector the agent never names (test-collector/: {@code TickProvider}, registered by its
 * services file only, on the test class path) takes up every role in both {@code profile} and
 * {@code run}: its phases are reported (source), described by its own signal (signal), its metric
 * is exported (metric source), and {@code profile} prints its report section.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class OutsideCollectorIT {
  @TempDir Path dir;

  @Test
  void inProfile() {
    CliRun o =
        CliRun.of(
            "profile",
            "--duration",
            "2s",
            "--enable",
            "tick",
            "--set",
            "tick.interval=100ms",
            "--set",
            "otlp.grpc-address=off",
            "--set",
            "otlp.http-address=off");
    assertThat(o.status()).as(o.err()).isZero();
    String tickRow =
        o.out().lines().filter(l -> l.strip().startsWith("tick ")).findFirst().orElse("");
    assertThat(tickRow)
        .as("its phases, in the phase table:\n%s", o.out())
        .matches("\\s*tick\\s+tick\\s+\\d+\\s+.*");
    assertThat(o.out())
        .as("its signal's category gets a column of its own")
        .contains("PAGE-CACHE MISSES");
    assertThat(o.out())
        .contains("Ticks (the test collector):")
        .containsPattern("  [1-9]\\d* ticks in the window")
        .containsPattern("tick \\(running, 1 series\\)");
  }

  @Test
  void inRun() throws Exception {
    int port = Ports.free();
    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    "run",
                    "--duration",
                    "5s",
                    "--enable",
                    "tick",
                    "--set",
                    "tick.interval=100ms",
                    "--set",
                    "otlp.grpc-address=off",
                    "--set",
                    "otlp.http-address=off",
                    "--prometheus-address",
                    "127.0.0.1:" + port,
                    "--output-dir",
                    dir.toString()));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest scrape =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(5))
            .build();
    String metrics =
        Await.until(
            "the tick collector's metric and phase metrics on /metrics",
            Duration.ofSeconds(20),
            Duration.ofMillis(200),
            () -> {
              String body = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
              return body.contains("aiprof_tick_phases_total")
                      && body.contains("aiprof_phase_name=\"tick\"")
                  ? body
                  : null;
            });
    assertThat(metrics).containsPattern("aiprof_tick_phases_total(\\{[^}]*\\})? [1-9]");
    CliRun o = run.get();
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.err()).contains("tick (running)");
    String spans = traces(dir);
    assertThat(spans)
        .as("its phases became spans its signal described")
        .contains("\"name\":\"tick\"")
        .contains("aiprof.tick.seen");
  }

  private static String traces(Path dir) throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("traces")).toList()) {
        b.append(Files.readString(f));
      }
    }
    return b.toString();
  }
}
