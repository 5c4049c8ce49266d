package dev.aiprof.testing.prometheus;

import dev.aiprof.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus (the {@code prometheus} binary on the PATH, e.g. Debian's 2.42) listening on a
 * free loopback port, with its own configuration and TSDB in a temporary directory, scraping the
 * given {@code host:port} targets every {@code interval}. {@link #start} checks the configuration
 * with {@code promtool check config} and returns once {@code /-/ready} answers.
 *
 * <p>Lifecycle: start, query through {@link #client()}, close. Close (idempotent) stops the server
 * with SIGTERM (SIGKILL after 10 s) and deletes the directory. Thread-safe after start.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path dir;
  private final int port;
  private boolean closed;

  private PrometheusServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts Prometheus scraping {@code targets} (each "host:port", path /metrics) as job {@code
   * job}, every {@code interval}.
   *
   * @throws IllegalStateException if the configuration is rejected or the server does not become
   *     ready (the message carries its log)
   */
  public static PrometheusServer start(String job, List<String> targets, Duration interval) {
    Path dir;
    try {
      dir = Files.createTempDirectory("aiprof-prometheus-");
      Path config =
          Files.writeString(dir.resolve("prometheus.yml"), config(job, targets, interval));
      run("promtool", "check", "config", config.toString());
      int port = freePort();
      Process p =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--storage.tsdb.retention.time=1d")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      PrometheusServer s = new PrometheusServer(p, dir, port);
      try {
        s.awaitReady();
      } catch (RuntimeException | Error e) {
        s.close();
        throw e;
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("start prometheus", e);
    }
  }

  /** The scrape configuration: one job, static targets, scrape and evaluation every interval. */
  static String config(String job, List<String> targets, Duration interval) {
    String every = interval.toMillis() + "ms";
    StringBuilder b = new StringBuilder();
    b.append("global:\n")
        .append("  scrape_interval: ")
        .append(every)
        .append("\n  scrape_timeout: ")
        .append(every)
        .append("\n  evaluation_interval: ")
        .append(every)
        .append("\nscrape_configs:\n  - job_name: ")
        .append(job)
        .append("\n    static_configs:\n      - targets:\n");
    for (String t : targets) {
      b.append("          - '").append(t).append("'\n");
    }
    return b.toString();
  }

  /** The HTTP API's base address, e.g. http://127.0.0.1:40123. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public PrometheusClient client() {
    return new PrometheusClient(uri());
  }

  /** The server's log so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "prometheus exited with " + process.exitValue() + " before it was ready:\n" + log());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(uri().resolve("/-/ready"))
                    .timeout(java.time.Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for prometheus", e);
      }
      pause();
    }
    throw new IllegalStateException("prometheus not ready within " + READY_TIMEOUT + ":\n" + log());
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Processes.stop(process, Duration.ofSeconds(10));
    deleteTree(dir);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("remove " + root, e);
    }
  }
}
