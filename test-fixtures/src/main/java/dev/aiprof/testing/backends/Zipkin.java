package dev.aiprof.testing.backends;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A client of a Zipkin v2 query API ({@code .../api/v2}). Thread-safe. */
public final class Zipkin {
  private final String base;

  /**
   * @param base the API's root, e.g. http://127.0.0.1:9412/zipkin
   */
  public Zipkin(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The spans of one trace; empty while the backend does not know it. */
  public List<ZipkinSpan> trace(String traceId) throws IOException, InterruptedException {
    URI uri = URI.create(base + "/api/v2/trace/" + traceId);
    HttpResponse<String> r = Http.get(uri);
    if (r.statusCode() == 404) {
      return List.of();
    }
    if (r.statusCode() != 200) {
      throw new IOException("GET " + uri + ": HTTP " + r.statusCode() + ": " + r.body());
    }
    return spans(Http.parse(r.body()));
  }

  /**
   * Every span of the traces (up to {@code limit}) with a span of {@code service} matching {@code
   * annotationQuery} (e.g. {@code process.pid=42}) within {@code lookback}.
   */
  public List<ZipkinSpan> find(String service, String annotationQuery, Duration lookback, int limit)
      throws IOException, InterruptedException {
    JsonNode traces =
        Http.getJson(
            URI.create(
                base
                    + "/api/v2/traces?serviceName="
                    + Http.encode(service)
                    + "&annotationQuery="
                    + Http.encode(annotationQuery)
                    + "&lookback="
                    + lookback.toMillis()
                    + "&limit="
                    + limit));
    List<ZipkinSpan> out = new ArrayList<>();
    for (JsonNode trace : traces) {
      out.addAll(spans(trace));
    }
    return out;
  }

  /** The service names the backend knows. */
  public List<String> services() throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    Http.getJson(URI.create(base + "/api/v2/services")).forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<ZipkinSpan> spans(JsonNode trace) {
    List<ZipkinSpan> out = new ArrayList<>();
    for (JsonNode s : trace) {
      out.add(ZipkinSpan.of(s));
    }
    return out;
  }

  @Override
  public String toString() {
    return base;
  }
}
