package dev.aiprof.testing.backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Single-node VictoriaMetrics on loopback, for one test: OTLP/HTTP protobuf metrics in at {@code
 * /opentelemetry/v1/metrics} (names and labels in Prometheus style: {@code
 * -opentelemetry.usePrometheusNaming}), PromQL out at {@code /api/v1/query}, with no query cache or
 * latency offset so fresh samples are visible (new series still take 8–10 s).
 *
 * <p>The binary is the Debian trixie package {@code victoria-metrics} (1.112), downloaded through
 * the host's own Debian source and extracted the first time, or {@code $AIPROF_VICTORIA_METRICS}
 * when set. {@link #close} stops it and removes its data; idempotent. Not thread-safe.
 */
public final class VictoriaMetrics implements AutoCloseable {
  private final Path data;
  private final BackendProcess process;
  private final int port;
  private final PromQl promql;
  private Duration startup;

  private VictoriaMetrics(Path data, BackendProcess process, int port) {
    this.data = data;
    this.process = process;
    this.port = port;
    this.promql = new PromQl("http://127.0.0.1:" + port);
  }

  /**
   * Fetches (first time only) and starts it, and waits until {@code /health} answers.
   *
   * @throws IllegalStateException when the package cannot be fetched, or it exits or is not ready
   *     within a minute (with its log's tail)
   */
  public static VictoriaMetrics start() throws InterruptedException {
    Path binary = binary();
    Path data;
    try {
      data = Files.createTempDirectory("aiprof-victoria-metrics-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a data directory", e);
    }
    int port = Ports.free();
    List<String> cmd =
        List.of(
            binary.toString(),
            "-httpListenAddr=127.0.0.1:" + port,
            "-storageDataPath=" + data.resolve("storage"),
            "-retentionPeriod=1d",
            "-search.latencyOffset=0s",
            "-search.disableCache",
            "-opentelemetry.usePrometheusNaming");
    long t0 = System.nanoTime();
    BackendProcess p = BackendProcess.start("VictoriaMetrics", cmd, data.resolve("vm.log"));
    VictoriaMetrics vm = new VictoriaMetrics(data, p, port);
    try {
      Await.until(
          "VictoriaMetrics /health",
          Duration.ofMinutes(1),
          Duration.ofMillis(50),
          () -> {
            p.requireAlive();
            return Http.get(URI.create(vm.promql + "/health")).statusCode() == 200
                ? Boolean.TRUE
                : null;
          },
          p::tail);
    } catch (InterruptedException | RuntimeException | Error e) {
      vm.close();
      throw e;
    }
    vm.startup = Duration.ofNanos(System.nanoTime() - t0);
    return vm;
  }

  private static Path binary() throws InterruptedException {
    String own = System.getenv("AIPROF_VICTORIA_METRICS");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    try {
      return DebianPackage.fetch("victoria-metrics", "trixie").resolve("usr/bin/victoria-metrics");
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          e.getMessage() + " (or set AIPROF_VICTORIA_METRICS to a victoria-metrics 1.112+ binary)",
          e);
    }
  }

  /** Where OTLP/HTTP protobuf metrics go (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT). */
  public String otlpMetricsEndpoint() {
    return "http://127.0.0.1:" + port + "/opentelemetry/v1/metrics";
  }

  public PromQl promql() {
    return promql;
  }

  /** From process start to ready. */
  public Duration startup() {
    return startup;
  }

  /** The last lines of its log, for failure messages. */
  public String logTail() {
    return process.tail();
  }

  @Override
  public void close() {
    try {
      process.close();
    } finally {
      Directories.delete(data);
    }
  }
}
