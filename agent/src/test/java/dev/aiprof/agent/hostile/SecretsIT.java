package dev.aiprof.agent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.backends.Await;
import dev.aiprof.testing.backends.Ports;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planted secret never reaches any output (issue 12, finding 5): not stdout, stderr (the log),
 * the OTLP files, {@code /metrics} or the health endpoints, whether the header setting is malformed
 * (exit 2) or valid and the backend refuses every export.
 */
class SecretsIT {
  private static final String SECRET = "PLANTED-SECRET-7f3a9c";

  @TempDir Path dir;

  @Test
  void aMalformedHeaderSettingNamesTheKeyNotTheValue() throws Exception {
    // The per-signal keys take the same path (SecretsTest covers them without a process).
    for (String key : List.of("OTEL_EXPORTER_OTLP_HEADERS")) {
      try (HostileAgent a = new HostileAgent(dir, Map.of(key, "Bearer " + SECRET))) {
        int status = a.awaitExit();
        String all = String.join("\n", a.out) + String.join("\n", a.err);
        System.out.printf(
            "secrets: malformed %s: exit %d, %d output lines, secret found %d times: %s%n",
            key, status, a.out.size() + a.err.size(), count(all), a.err);
        assertThat(status).isEqualTo(2);
        assertThat(all).doesNotContain(SECRET);
        assertThat(all).contains("invalid " + key.toLowerCase().replace('_', '.'));
      }
    }
  }

  @Test
  void aValidSecretHeaderNeverReachesAnyOutputWhileExportsFail() throws Exception {
    int refused = Ports.free(); // nothing listens: every export fails and is logged
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_HEADERS",
                "Authorization=Bearer%20" + SECRET + ",x-api-key=" + SECRET,
            "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://" + SECRET + ":" + SECRET + "@127.0.0.1:" + refused,
            "OTEL_METRIC_EXPORT_INTERVAL", "500",
            "OTEL_EXPORTER_OTLP_TIMEOUT", "300",
            "OTEL_JAVA_EXPORTER_OTLP_RETRY_DISABLED", "true");
    List<String> seen = new ArrayList<>();
    try (HostileAgent a = new HostileAgent(dir, env)) {
      a.awaitRunning();
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(a.traces())
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(Payloads.valid().toByteArray()))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      Await.until(
          "a failed export",
          Duration.ofSeconds(30),
          Duration.ofMillis(250),
          () ->
              a.metric("aiprof_export_batches_total{aiprof_outcome=\"failure\"") > 0
                  ? Boolean.TRUE
                  : null,
          () -> String.join("\n", a.err));
      seen.add(a.get("/metrics").body());
      seen.add(a.get("/healthz").body());
      seen.add(a.get("/readyz").body());
      assertThat(a.stop()).isZero();
      seen.addAll(a.out);
      seen.addAll(a.err);
    }
    seen.addAll(files(dir));
    String all = String.join("\n", seen);
    System.out.printf(
        "secrets: valid secret header and endpoint credentials, exports failing: %d KiB of"
            + " stdout, stderr, files, /metrics and health searched, secret found %d times%n",
        all.length() >> 10, count(all));
    assertThat(all).doesNotContain(SECRET);
  }

  private static int count(String s) {
    return s.split(SECRET, -1).length - 1;
  }

  private static List<String> files(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.add(Files.readString(p));
      }
    }
    return out;
  }
}
