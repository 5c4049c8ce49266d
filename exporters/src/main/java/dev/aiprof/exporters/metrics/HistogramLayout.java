package dev.aiprof.exporters.metrics;

import dev.aiprof.api.metrics.Log2Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a log2 histogram of nanoseconds into explicit buckets in seconds. Boundaries sit at the
 * powers of two, {@code 2^k} ns for {@code k} in {@code [minExponent+1, min(slots-1,
 * maxExponent)]}: slots below {@code 2^(minExponent+1)} ns share the first bucket, slots from the
 * highest boundary on share the open last one. The layout depends only on the slot count, so every
 * series of an instrument keeps the same buckets from its first export on.
 *
 * <p>Slot {@code i} counts values in {@code [2^i, 2^(i+1))}: every value a bucket counts is below
 * its boundary, as OpenTelemetry's {@code (previous, boundary]} buckets require. Immutable.
 */
public final class HistogramLayout {
  /** First boundary 2^11 ns (2.048 µs): finer than the scheduler's own wake-up cost. */
  public static final HistogramLayout DEFAULT = new HistogramLayout(10, 40);

  private final int minExponent;
  private final int maxExponent;

  /**
   * @param minExponent slots up to this one share the first bucket
   * @param maxExponent no boundary above {@code 2^maxExponent} ns
   */
  public HistogramLayout(int minExponent, int maxExponent) {
    if (minExponent < 0 || maxExponent <= minExponent || maxExponent > 62) {
      throw new IllegalArgumentException(
          "histogram exponents "
              + minExponent
              + ".."
              + maxExponent
              + " are not 0 <= min < max <= 62");
    }
    this.minExponent = minExponent;
    this.maxExponent = maxExponent;
  }

  /** Boundaries in seconds for a histogram of {@code slots} slots. */
  public List<Double> boundaries(int slots) {
    List<Double> out = new ArrayList<>();
    for (int k = minExponent + 1; k <= highest(slots); k++) {
      out.add((double) (1L << k) / 1e9);
    }
    return List.copyOf(out);
  }

  /** Bucket counts matching {@link #boundaries(int)}: one more than there are boundaries. */
  public List<Long> counts(Log2Histogram h) {
    int hi = highest(h.slots());
    long[] out = new long[Math.max(0, hi - minExponent) + 1];
    for (int s = 0; s < h.slots(); s++) {
      out[bucket(s, hi)] += h.count(s);
    }
    List<Long> list = new ArrayList<>(out.length);
    for (long c : out) {
      list.add(c);
    }
    return List.copyOf(list);
  }

  private int highest(int slots) {
    return Math.min(slots - 1, maxExponent);
  }

  private int bucket(int slot, int hi) {
    if (hi <= minExponent || slot <= minExponent) {
      return 0;
    }
    return Math.min(slot, hi) - minExponent;
  }
}
