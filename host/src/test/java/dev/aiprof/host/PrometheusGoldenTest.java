package dev.aiprof.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.exporters.ExporterOptions;
import dev.aiprof.exporters.Exporters;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import dev.aiprof.testing.Requires;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the collector on the {@code gpu-node} tree, through the agent's Prometheus endpoint,
 * against a golden file ({@code -Daiprof.golden.update=true} rewrites it) and linted by {@code
 * promtool check metrics}.
 */
@Requires(tools = "promtool")
class PrometheusGoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/gpu-node.prom");
  static final String COUNT_LINT =
      "non-histogram and non-summary metrics should not have \"_count\" suffix";

  @TempDir Path dir;

  @Test
  void theGpuNodeRendersAsTheGoldenFileSaysAndPromtoolAccepts() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ExporterOptions o =
        new ExporterOptions(null, true, "127.0.0.1:" + port, dir, Map.of(), "h", null, "1");
    Exporters e = Exporters.start(o, WorkloadAttributes.NONE);
    try (HostRun r = GpuNodeTest.run(Map.of())) {
      r.tick(); // the OSHI inventory, and a second reading
      e.metrics().addSource(r.pipeline.metrics());
      String text = scrape(port);
      List<String> host =
          text.lines()
              .filter(l -> l.matches("(# (HELP|TYPE) )?(system_|aiprof_host_series).*"))
              .sorted()
              .toList();
      if (Boolean.getBoolean("aiprof.golden.update")) {
        Files.write(GOLDEN, host);
      }
      assertThat(host).containsExactlyElementsOf(Files.readAllLines(GOLDEN));
      assertThat(text).contains("aiprof_collector_success{aiprof_collector=\"host\"} 1");
      Process p =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
      p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // The conventions' two processor counts end in .count, which Prometheus' naming lint
      // reserves for histograms and summaries: those two findings (exit 3: lint only) and no other
      assertThat(lint.lines().toList())
          .as(lint)
          .containsExactlyInAnyOrder(
              "system_cpu_logical_count " + COUNT_LINT, "system_cpu_physical_count " + COUNT_LINT);
      assertThat(p.exitValue()).as(lint).isEqualTo(3);
    } finally {
      e.close();
    }
  }

  static String scrape(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
