package dev.aiprof.testing.prometheus;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A client of Prometheus's HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}, {@code
 * /api/v1/label/NAME/values}). Queries are POSTed form-encoded, as Grafana does, so long
 * expressions fit. Stateless apart from the shared JDK HTTP client; thread-safe.
 */
public final class PrometheusClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public PrometheusClient(URI base) {
    this.base = base;
  }

  /** An instant query at {@code time}. */
  public PromAnswer query(String promql, Instant time) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", promql);
    form.put("time", seconds(time));
    return post("/api/v1/query", form);
  }

  /** A range query from {@code start} to {@code end} every {@code step}. */
  public PromAnswer queryRange(String promql, Instant start, Instant end, Duration step) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", promql);
    form.put("start", seconds(start));
    form.put("end", seconds(end));
    form.put("step", step.toMillis() / 1000.0 + "");
    return post("/api/v1/query_range", form);
  }

  /**
   * The values of {@code label} on series matching {@code match} (a series selector), as Grafana's
   * {@code label_values(match, label)} asks for them.
   *
   * @throws IllegalStateException if Prometheus answers with an error
   */
  public List<String> labelValues(String label, String match) {
    String q = "?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8);
    PromAnswer a =
        parse(send(HttpRequest.newBuilder(uri("/api/v1/label/" + label + "/values" + q))));
    if (!a.ok()) {
      throw new IllegalStateException("label values of " + label + " for " + match + ": " + a);
    }
    List<String> values = new ArrayList<>();
    a.data().forEach(v -> values.add(v.asText()));
    return values;
  }

  private PromAnswer post(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return parse(
        send(
            HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
  }

  private String send(HttpRequest.Builder b) {
    try {
      return http.send(
              b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException("prometheus at " + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted querying " + base, e);
    }
  }

  private static PromAnswer parse(String body) {
    try {
      return PromAnswer.of(JSON.readTree(body));
    } catch (IOException e) {
      throw new IllegalStateException("prometheus answered something other than JSON: " + body, e);
    }
  }

  private URI uri(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  private static String seconds(Instant t) {
    return t.getEpochSecond() + "." + String.format("%03d", t.getNano() / 1_000_000);
  }
}
