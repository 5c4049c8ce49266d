package dev.aiprof.agent.backends;

import dev.aiprof.agent.AgentJvm;
import dev.aiprof.testing.Processes;
import dev.aiprof.testing.backends.Await;
import dev.aiprof.testing.backends.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code aiprof run} as a child JVM on this test's class path, configured as a user would: the
 * standard {@code OTEL_*} environment variables plus flags. Its OTLP receiver listens for the
 * workload's spans on a free loopback port (OTLP/HTTP only), and it attaches to the marker library
 * from the start. Its Prometheus endpoint (free port) gives its own counters for failure messages.
 * The JFR collector is off: it would attach to every JVM here, backends included. {@link #stop}
 * sends SIGTERM; close kills what is left. Not thread-safe.
 */
final class AgentProcess implements AutoCloseable {
  private final Process process;
  private final int receiverPort;
  private final int prometheusPort;
  private final List<String> err = new CopyOnWriteArrayList<>();

  private AgentProcess(Process process, int receiverPort, int prometheusPort) {
    this.process = process;
    this.receiverPort = receiverPort;
    this.prometheusPort = prometheusPort;
    Thread.ofPlatform().daemon().name("agent-stderr").start(this::readErr);
  }

  /** Starts it with {@code env} (on top of this JVM's, minus any OTEL_* of its own). */
  static AgentProcess start(Path outputDir, Path markerLibrary, Map<String, String> env) {
    int port = Ports.free();
    int prometheus = Ports.free();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "run",
                "--duration",
                "5m",
                "--prometheus",
                "--prometheus-address",
                "127.0.0.1:" + prometheus,
                "--disable",
                "jfr",
                "--output-dir",
                outputDir.toString(),
                "--set",
                "otlp.http-address=127.0.0.1:" + port,
                "--set",
                "otlp.grpc-address=off",
                "--set",
                "marker.libraries=" + markerLibrary));
    ProcessBuilder pb =
        new ProcessBuilder(AgentJvm.command("128m", cmd))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    try {
      return new AgentProcess(pb.start(), port, prometheus);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start aiprof run", e);
    }
  }

  /** Waits for the start-up lines and the receiver, failing with stderr if it exits. */
  void awaitRunning() throws InterruptedException {
    Await.until(
        "aiprof run to start",
        Duration.ofSeconds(60),
        Duration.ofMillis(100),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("aiprof run exited " + process.exitValue());
          }
          boolean up = err.stream().anyMatch(l -> l.contains("running until"));
          return up && Ports.listening(receiverPort) ? Boolean.TRUE : null;
        },
        this::stderr);
  }

  /** Where the workload sends its spans (OTLP/HTTP). */
  String tracesEndpoint() {
    return "http://127.0.0.1:" + receiverPort + "/v1/traces";
  }

  /** SIGTERM (flush, detach), then its exit status. */
  int stop() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("aiprof run did not stop within 60 s of SIGTERM\n" + stderr());
    }
    return process.exitValue();
  }

  /** Its stderr and its own counters (phases, spans, marker and OTLP intake), for failures. */
  String stderr() {
    return String.join("\n", err) + "\n" + selfMetrics();
  }

  /** The agent's own counters from its Prometheus endpoint. */
  private String selfMetrics() {
    try {
      var r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + prometheusPort + "/metrics"))
                      .timeout(java.time.Duration.ofSeconds(10))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofLines());
      return String.join(
          "\n",
          r.body()
              .filter(
                  l ->
                      l.matches(
                          "aiprof_(marker|correlation|export|otlp|probe)_[a-z_]+(_total)?\\{.*"))
              .toList());
    } catch (IOException e) {
      return "(no self-metrics: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private void readErr() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        err.add(l);
      }
    } catch (IOException e) {
      // it exited
    }
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(30));
  }
}
