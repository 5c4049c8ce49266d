package dev.aiprof.testing.backends;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client of a PromQL HTTP API ({@code /api/v1/query}, instant queries), as VictoriaMetrics and
 * SkyWalking's PromQL service serve it. Thread-safe.
 */
public final class PromQl {
  /** One series of an instant vector: its labels (with {@code __name__}) and value. */
  public record Sample(Map<String, String> labels, double value) {
    public String label(String name) {
      return labels.get(name);
    }
  }

  private final String base;

  /**
   * @param base the API's root, e.g. http://127.0.0.1:8428
   */
  public PromQl(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /**
   * The instant vector {@code expr} evaluates to now.
   *
   * @throws IOException when the server answers an error (the message has its reason)
   */
  public List<Sample> query(String expr) throws IOException, InterruptedException {
    JsonNode root = Http.getJson(URI.create(base + "/api/v1/query?query=" + Http.encode(expr)));
    if (!"success".equals(root.path("status").asText())) {
      throw new IOException("query " + expr + ": " + root);
    }
    List<Sample> out = new ArrayList<>();
    for (JsonNode r : root.path("data").path("result")) {
      Map<String, String> labels = new TreeMap<>();
      r.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      out.add(new Sample(labels, Double.parseDouble(r.path("value").path(1).asText())));
    }
    return out;
  }

  @Override
  public String toString() {
    return base;
  }
}
