package dev.aiprof.testing.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One answer of Prometheus's HTTP API: {@code status} ("success" or "error"), the error if any, and
 * {@code data}. For queries, {@link #resultType} is vector, matrix, scalar or string and {@link
 * #result} the samples. Immutable.
 *
 * @param status "success" or "error"
 * @param errorType e.g. "bad_data" (null on success)
 * @param error the parser's or engine's message (null on success)
 * @param data the whole {@code data} member (missing node on error)
 */
public record PromAnswer(String status, String errorType, String error, JsonNode data) {
  static PromAnswer of(JsonNode root) {
    return new PromAnswer(
        root.path("status").asText(),
        root.hasNonNull("errorType") ? root.get("errorType").asText() : null,
        root.hasNonNull("error") ? root.get("error").asText() : null,
        root.path("data"));
  }

  public boolean ok() {
    return "success".equals(status);
  }

  public String resultType() {
    return data.path("resultType").asText();
  }

  public JsonNode result() {
    return data.path("result");
  }

  /** Series in a vector or matrix; 1 for a scalar or string. */
  public int series() {
    return switch (resultType()) {
      case "vector", "matrix" -> result().size();
      case "scalar", "string" -> 1;
      default -> 0;
    };
  }

  /** Samples across all series. */
  public int samples() {
    int n = 0;
    for (String v : values()) {
      n += v == null ? 0 : 1;
    }
    return n;
  }

  /** Whether any sample is a number other than NaN (what a panel can draw). */
  public boolean hasFiniteValue() {
    for (String v : values()) {
      if (v != null && !v.equals("NaN") && !v.endsWith("Inf")) {
        return true;
      }
    }
    return false;
  }

  private List<String> values() {
    List<String> out = new ArrayList<>();
    switch (resultType()) {
      case "scalar", "string" -> out.add(result().path(1).asText());
      case "vector" -> result().forEach(s -> out.add(s.path("value").path(1).asText()));
      case "matrix" ->
          result().forEach(s -> s.path("values").forEach(p -> out.add(p.path(1).asText())));
      default -> {}
    }
    return out;
  }

  /** A short description for failure messages: the error, or the shape of the result. */
  @Override
  public String toString() {
    if (!ok()) {
      return status + " (" + errorType + "): " + error;
    }
    return resultType() + " with " + series() + " series, " + samples() + " samples";
  }
}
