package dev.aiprof.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import dev.aiprof.testing.Requires;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus endpoint's output, linted by promtool. */
@Requires(tools = "promtool")
class PrometheusEndpointTest {
  static final MetricId WAIT = MetricId.histogram("test.wait", "How long things waited");
  static final MetricId BYTES = MetricId.counter("test.read", "Bytes read", "By");
  static final MetricId SHARE = MetricId.gauge("test.share", "Share of time busy", "1");

  @TempDir Path dir;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs {@code promtool check metrics} on {@code text}: exit status and output. */
  public static Map.Entry<Integer, String> promtool(String text) throws Exception {
    Process p =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return Map.entry(p.exitValue(), out);
  }

  public static String scrape(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void pointsRefusedForAConflictingDefinitionAreCountedOnTheEndpoint() throws Exception {
    int port = freePort();
    ExporterOptions o =
        new ExporterOptions(null, true, "127.0.0.1:" + port, dir, Map.of(), "h", null, "1");
    Exporters e = Exporters.start(o, WorkloadAttributes.NONE);
    try {
      e.metrics().addSource(s -> s.counter(BYTES, Attributes.empty(), 1));
      e.metrics()
          .addSource(
              s -> s.gauge(MetricId.gauge(BYTES.name(), "Other", "By"), Attributes.empty(), 2));
      assertThat(scrape(port)).contains("aiprof_export_conflicts_total");
      assertThat(scrape(port))
          .as("counted at the scrape before")
          .contains("\naiprof_export_conflicts_total 1.0");
      assertThat(e.lastExports())
          .as("the pushing exporters (OTLP JSON files by default); Prometheus is pulled")
          .extracting(LastExport::name)
          .containsExactly("traces", "metrics/file");
    } finally {
      e.close();
    }
  }

  @Test
  void servesOnLoopbackWhatPromtoolAccepts() throws Exception {
    int port = freePort();
    ExporterOptions o =
        new ExporterOptions(null, true, "127.0.0.1:" + port, dir, Map.of(), "h", null, "1");
    Exporters e =
        Exporters.start(
            o, (v2, v1) -> Attributes.of(AttributeKey.stringKey("k8s.pod.name"), "trainer-" + v2));
    try {
      long[] slots = new long[40];
      slots[12] = 3;
      slots[25] = 1;
      e.metrics()
          .addSource(
              s -> {
                s.histogram(WAIT, Identity.cgroup(7, 0), new Log2Histogram(slots), 40_000_000);
                s.counter(BYTES, Identity.cgroup(7, 0), 4096);
                s.gauge(SHARE, Attributes.empty(), 0.5);
              });
      String text = scrape(port);
      assertThat(text)
          .contains("# HELP test_wait_seconds How long things waited")
          .contains("# TYPE test_wait_seconds histogram")
          .contains(
              "test_wait_seconds_bucket{aiprof_cgroup_id=\"7\",aiprof_cgroup_v1_id=\"0\","
                  + "k8s_pod_name=\"trainer-7\"")
          .contains("test_wait_seconds_count{")
          .contains("test_read_bytes_total{")
          .contains("\ntest_share 0.5")
          .contains("# HELP aiprof_export_queue_size")
          .doesNotContain("target_info")
          .doesNotContain("otel_scope_");
      Map.Entry<Integer, String> lint = promtool(text);
      assertThat(lint.getKey()).as(lint.getValue()).isZero();
      assertThat(lint.getValue()).isEmpty();
    } finally {
      e.close();
    }
  }

  @Test
  void theAgentsOwnHistogramsHaveTheirAdvisedBucketsOnTheEndpoint() throws Exception {
    int port = freePort();
    ExporterOptions o =
        new ExporterOptions(null, true, "127.0.0.1:" + port, dir, Map.of(), "h", null, "1");
    Exporters e = Exporters.start(o, WorkloadAttributes.NONE);
    try {
      var h =
          e.meter()
              .histogramBuilder("test.phase.duration")
              .setDescription("How long phases took")
              .setUnit("s")
              .setExplicitBucketBoundariesAdvice(List.of(0.01, 0.1, 1.0))
              .build();
      h.record(0.05, Attributes.of(AttributeKey.stringKey("aiprof.phase.name"), "step"));
      String text = scrape(port);
      List<String> series =
          text.lines().filter(l -> l.startsWith("test_phase_duration_seconds")).toList();
      assertThat(series)
          .as(text)
          .hasSize(6) // 3 bounds, +Inf, _sum, _count
          .anyMatch(l -> l.contains("le=\"0.1\"") && l.endsWith(" 1"))
          .anyMatch(l -> l.contains("le=\"0.01\"") && l.endsWith(" 0"));
      Map.Entry<Integer, String> lint = promtool(text);
      assertThat(lint.getKey()).as(lint.getValue()).isZero();
    } finally {
      e.close();
    }
  }
}
