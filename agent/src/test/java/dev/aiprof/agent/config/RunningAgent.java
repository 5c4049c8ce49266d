package dev.aiprof.agent.config;

import dev.aiprof.agent.AgentJvm;
import dev.aiprof.testing.backends.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code aiprof run} as a child JVM: its stderr lines, signals, and its Prometheus endpoint. */
final class RunningAgent implements AutoCloseable {
  final Process process;
  private final List<String> err = new CopyOnWriteArrayList<>();

  private RunningAgent(Process p) {
    this.process = p;
    Thread.ofPlatform().daemon().start(this::read);
  }

  static RunningAgent start(List<String> args, Map<String, String> env) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("run"));
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(AgentJvm.command("128m", cmd))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("AIPROF_"));
    pb.environment().putAll(env);
    return new RunningAgent(pb.start());
  }

  private void read() {
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

  String stderr() {
    return String.join("\n", err);
  }

  /** Waits for a stderr line containing {@code text}; returns it. */
  String awaitLine(String text) throws Exception {
    return Await.until(
        "a line with '" + text + "'",
        Duration.ofSeconds(60),
        Duration.ofMillis(50),
        () -> err.stream().filter(l -> l.contains(text)).findFirst().orElse(null),
        this::stderr);
  }

  /** Sends {@code signal} (HUP, TERM) with kill(1). */
  void signal(String signal) throws Exception {
    Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (k.waitFor() != 0) {
      throw new AssertionError("kill -" + signal + " failed");
    }
  }

  /** /metrics of the agent on {@code port}, or null while it does not answer. */
  static String scrape(int port) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
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

  /** Scrapes until a series starting with {@code prefix} has a value at least {@code min}. */
  String awaitSeries(int port, String prefix, double min) throws Exception {
    return Await.until(
        prefix + " >= " + min,
        Duration.ofSeconds(60),
        Duration.ofMillis(200),
        () -> {
          String t = scrape(port);
          return t != null && value(t, prefix) >= min ? t : null;
        },
        this::stderr);
  }

  /** The first series starting with {@code prefix}, or -1. */
  static double value(String text, String prefix) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^ ]* ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
