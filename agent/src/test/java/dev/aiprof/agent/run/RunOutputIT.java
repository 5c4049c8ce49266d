package dev.aiprof.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiprof.agent.cli.CliRun;
import dev.aiprof.exporters.file.RotatingFile;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.SystemProperties;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code aiprof run}'s local outputs: the Prometheus endpoint and the OTLP JSON files. */
@Requires(root = true, tools = "promtool", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class RunOutputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  @RegisterExtension final SystemProperties properties = new SystemProperties();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The body of /metrics, or null while nothing listens. */
  static String scrape(int port) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(java.time.Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Scrapes until the text contains {@code needle} or 30 s pass. */
  static String scrapeUntil(int port, String needle) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = null;
    while (System.nanoTime() < deadline) {
      last = scrape(port);
      if (last != null && last.contains(needle)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + needle + "' on :" + port + " within 30 s; last: " + last);
  }

  static double value(String text, String seriesPrefix) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(seriesPrefix) + "[^ ]* ([0-9.eE+-]+)$")
            .matcher(text);
    if (!m.find()) {
      throw new AssertionError("no series " + seriesPrefix);
    }
    return Double.parseDouble(m.group(1));
  }

  static String promtool(String text, int[] status) throws Exception {
    Process p =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    status[0] = p.exitValue();
    return out;
  }

  @Test
  void thePrometheusEndpointServesSchedulerMetricsThatPassPromtool() throws Exception {
    int port = freePort();
    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    "run",
                    "--duration",
                    "8s",
                    "--prometheus-address",
                    "127.0.0.1:" + port,
                    "--output-dir",
                    dir.toString()));
    String text = scrapeUntil(port, "aiprof_sched_runqueue_latency_seconds_bucket");
    int[] status = {-1};
    String lint = promtool(text, status);
    assertThat(status[0]).as(lint).isZero();
    assertThat(lint).isEmpty();
    assertThat(text)
        .contains("# TYPE aiprof_sched_runqueue_latency_seconds histogram")
        .contains("# TYPE aiprof_sched_cpu_time_seconds_total counter")
        .contains("# HELP aiprof_sched_offcpu_episodes_total ")
        .containsPattern(
            "aiprof_sched_runqueue_latency_seconds_bucket\\{aiprof_cgroup_id=\"\\d+\","
                + "aiprof_cgroup_path=\"[^\"]+\"")
        .contains("le=\"2.048E-6\"");
    assertThat(value(text, "aiprof_collector_success{aiprof_collector=\"sched\"")).isEqualTo(1.0);
    CliRun r = run.get(60, TimeUnit.SECONDS);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(scrape(port)).as("the endpoint is closed after the run").isNull();
  }

  @Test
  void theDefaultFileOutputRotatesWithinItsCap() throws Exception {
    properties.set("otel.metric.export.interval", "100");
    // One export of every collector's series is about 180 KB: files that hold a few of them.
    properties.set("aiprof.exporter.file.max-file-size", "512KiB");
    properties.set("aiprof.exporter.file.max-total-size", "2MiB");
    CliRun r =
        CliRun.of("run", "--duration", "8s", "--no-prometheus", "--output-dir", dir.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).contains("exporting metrics: OTLP JSON files in " + dir);
    List<Path> files = RotatingFile.outputFiles(dir, "metrics");
    long total = 0;
    int lines = 0;
    for (Path f : files) {
      total += Files.size(f);
      for (String l : Files.readAllLines(f)) {
        JsonNode n = JSON.readTree(l);
        assertThat(n.has("resourceMetrics")).isTrue();
        lines++;
      }
    }
    String listing = files + " " + total + " bytes";
    assertThat(files.size()).as(listing).isGreaterThan(1);
    assertThat(total)
        .as("the metrics' half of the 2 MiB cap: " + listing)
        .isLessThanOrEqualTo(1024 * 1024);
    assertThat(lines).isPositive();
    assertThat(files)
        .as("the oldest files were deleted for the cap")
        .noneMatch(f -> f.getFileName().toString().endsWith("-1.jsonl"));
    assertThat(r.err()).doesNotContain("cannot write");
    System.out.println(
        "file output: " + files.size() + " files, " + total + " bytes, " + lines + " lines kept");
  }
}
