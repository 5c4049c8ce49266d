package dev.aiprof.reference.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the client saw: requests answered and failed, output tokens, and each answer's latency, time
 * to first token and time per output token (the last two as the server measured them). The result
 * line: {@code {"requests":N,"errors":E,"wall_s":..,"requests_per_s":..,
 * "output_tokens_per_s":..,"latency_p50_s":..,"ttft_p50_s":..,"ttft_p99_s":..,"tpot_p50_s":..,
 * "tpot_p99_s":..}}. Thread-safe.
 */
final class Tally {
  private final List<Double> latency = new ArrayList<>();
  private final List<Double> ttft = new ArrayList<>();
  private final List<Double> tpot = new ArrayList<>();
  private long tokens;
  private int errors;
  private long wallNanos;

  synchronized void ok(long latencyNanos, int outputTokens, double ttftS, double tpotS) {
    latency.add(latencyNanos / 1e9);
    ttft.add(ttftS);
    if (outputTokens > 1) {
      tpot.add(tpotS);
    }
    tokens += outputTokens;
  }

  synchronized void error() {
    errors++;
  }

  synchronized int done() {
    return latency.size() + errors;
  }

  synchronized void wall(long nanos) {
    wallNanos = nanos;
  }

  synchronized String json() {
    double wall = wallNanos / 1e9;
    return String.format(
        Locale.ROOT,
        "{\"requests\":%d,\"errors\":%d,\"output_tokens\":%d,\"wall_s\":%.6f,"
            + "\"requests_per_s\":%.4f,\"output_tokens_per_s\":%.4f,\"latency_p50_s\":%.6f,"
            + "\"latency_p99_s\":%.6f,\"ttft_p50_s\":%.6f,\"ttft_p99_s\":%.6f,"
            + "\"tpot_p50_s\":%.6f,\"tpot_p99_s\":%.6f}",
        latency.size(),
        errors,
        tokens,
        wall,
        wall > 0 ? latency.size() / wall : 0,
        wall > 0 ? tokens / wall : 0,
        quantile(latency, 0.5),
        quantile(latency, 0.99),
        quantile(ttft, 0.5),
        quantile(ttft, 0.99),
        quantile(tpot, 0.5),
        quantile(tpot, 0.99));
  }

  /** The nearest-rank quantile, 0 when empty. */
  static double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> v = new ArrayList<>(values);
    v.sort(null);
    int rank = (int) Math.ceil(q * v.size());
    return v.get(Math.max(0, Math.min(v.size() - 1, rank - 1)));
  }
}
