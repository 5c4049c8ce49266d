package dev.aiprof.report.model;

import java.util.Arrays;
import java.util.List;

/**
 * A latency histogram in milliseconds with log-spaced buckets, five per decade (1, 1.58, 2.51,
 * 3.98, 6.31 ×10ⁿ), spanning the values; plus the percentiles the page prints. Immutable.
 */
public record Histogram(
    double[] edges, long[] counts, long count, double p50, double p90, double p99, double max) {
  static final int PER_DECADE = 5;

  public static Histogram of(List<Double> valuesMs) {
    double[] v = valuesMs.stream().mapToDouble(Double::doubleValue).filter(d -> d >= 0).toArray();
    Arrays.sort(v);
    if (v.length == 0) {
      return new Histogram(new double[0], new long[0], 0, 0, 0, 0, 0);
    }
    double lo = Math.max(v[0], 1e-3);
    int first = (int) Math.floor(Math.log10(lo) * PER_DECADE);
    int last = (int) Math.floor(Math.log10(Math.max(v[v.length - 1], 1e-3)) * PER_DECADE) + 1;
    double[] edges = new double[last - first + 1];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = round(Math.pow(10, (double) (first + i) / PER_DECADE));
    }
    long[] counts = new long[edges.length - 1];
    for (double d : v) {
      int b = (int) Math.floor(Math.log10(Math.max(d, 1e-3)) * PER_DECADE) - first;
      counts[Math.max(0, Math.min(counts.length - 1, b))]++;
    }
    return new Histogram(
        edges, counts, v.length, rank(v, 0.5), rank(v, 0.9), rank(v, 0.99), v[v.length - 1]);
  }

  /** Nearest-rank percentile of sorted values. */
  static double rank(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double round(double d) {
    return Math.round(d * 1e6) / 1e6;
  }
}
