package dev.aiprof.agent.hostile;

import dev.aiprof.agent.AgentJvm;
import dev.aiprof.testing.Processes;
import dev.aiprof.testing.backends.Await;
import dev.aiprof.testing.backends.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code aiprof run --collectors otlp} as a child JVM (128 MiB heap) with both receivers and the
 * metrics endpoint on free loopback ports, its stdout and stderr kept line by line. Not
 * thread-safe, except {@link #metric} and the line lists.
 */
final class HostileAgent implements AutoCloseable {
  final int httpPort = Ports.free();
  final int grpcPort = Ports.free();
  final int metricsPort = Ports.free();
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();
  private final List<Thread> drains = new CopyOnWriteArrayList<>();
  private final Process process;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HostileAgent(Path outputDir, Map<String, String> env) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--duration",
                "10m",
                "--collectors",
                "otlp",
                "--prometheus-address",
                "127.0.0.1:" + metricsPort,
                "--output-dir",
                outputDir.toString(),
                "--set",
                "otlp.http-address=127.0.0.1:" + httpPort,
                "--set",
                "otlp.grpc-address=127.0.0.1:" + grpcPort));
    ProcessBuilder pb = new ProcessBuilder(AgentJvm.command("128m", args));
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start aiprof run", e);
    }
    drain(process.getInputStream(), out, "agent-stdout");
    drain(process.getErrorStream(), err, "agent-stderr");
  }

  private void drain(InputStream in, List<String> lines, String name) {
    drains.add(
        Thread.ofPlatform()
            .daemon()
            .name(name)
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                      lines.add(l);
                    }
                  } catch (IOException e) {
                    // exited
                  }
                }));
  }

  void awaitRunning() throws InterruptedException {
    Await.until(
        "aiprof run to start",
        Duration.ofSeconds(60),
        Duration.ofMillis(100),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("aiprof run exited " + process.exitValue());
          }
          return err.stream().anyMatch(l -> l.contains("running until"))
                  && Ports.listening(httpPort)
                  && Ports.listening(metricsPort)
              ? Boolean.TRUE
              : null;
        },
        () -> String.join("\n", err));
  }

  boolean alive() {
    return process.isAlive();
  }

  URI traces() {
    return URI.create("http://127.0.0.1:" + httpPort + "/v1/traces");
  }

  URI endpoint(String path) {
    return URI.create("http://127.0.0.1:" + metricsPort + path);
  }

  /** GET on the metrics port. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(endpoint(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the first series whose line starts with {@code prefix}, or -1. */
  double metric(String prefix) throws IOException, InterruptedException {
    for (String l : get("/metrics").body().lines().toList()) {
      if (l.startsWith(prefix)) {
        return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  /** Resident set size in MiB, from /proc. */
  long rssMiB() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }

  /** Waits for it to exit by itself (a start-up error) and returns the status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("aiprof run did not exit:\n" + String.join("\n", err));
    }
    for (Thread t : drains) {
      t.join(5000);
    }
    return process.exitValue();
  }

  /** SIGTERM and the exit status. */
  int stop() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("aiprof run did not stop within 60 s of SIGTERM");
    }
    for (Thread t : drains) {
      t.join(5000);
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(30));
  }
}
