package dev.aiprof.agent.dashboards;

import dev.aiprof.agent.AgentJvm;
import dev.aiprof.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code aiprof run} as a child JVM on this test's class path, as a service manager would run it:
 * output to a log file, stopped with SIGTERM (its orderly shutdown detaches every probe), killed
 * only if that takes longer than 30 s. Close is idempotent.
 */
final class AgentProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int metricsPort;
  private boolean closed;

  private AgentProcess(Process process, Path log, int metricsPort) {
    this.process = process;
    this.log = log;
    this.metricsPort = metricsPort;
  }

  /** Starts {@code aiprof run --prometheus-address 127.0.0.1:PORT ARGS...}, logging to logFile. */
  static AgentProcess start(int metricsPort, Path logFile, List<String> args) {
    List<String> cmd =
        new ArrayList<>(List.of("run", "--prometheus-address", "127.0.0.1:" + metricsPort));
    cmd.addAll(args);
    try {
      Process p =
          new ProcessBuilder(AgentJvm.command("256m", cmd))
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      return new AgentProcess(p, logFile, metricsPort);
    } catch (IOException e) {
      throw new UncheckedIOException("start " + cmd, e);
    }
  }

  /** Waits until /metrics shows {@code needle}; fails with the agent's log after {@code limit}. */
  void awaitMetrics(String needle, Duration limit) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI uri = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("aiprof run exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains(needle)) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + needle + "' on " + uri + " within " + limit + ":\n" + log());
  }

  /** The agent's output so far. */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The exit status after close, or -1 while it runs. */
  int exitValue() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Processes.stop(process, Duration.ofSeconds(30));
  }
}
