package dev.aiprof.api.metrics;

import java.util.Arrays;

/**
 * A histogram as BPF programs keep it: slot {@code i} counts values in {@code [2^i, 2^(i+1))} (slot
 * 0 also holds 0), the last slot is open-ended. Immutable; cumulative readings from a map subtract
 * to interval readings with {@link #minus}.
 */
public final class Log2Histogram {
  private final long[] counts;
  private final long total;

  public Log2Histogram(long[] counts) {
    this.counts = counts.clone();
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    this.total = t;
  }

  public static Log2Histogram empty(int slots) {
    return new Log2Histogram(new long[slots]);
  }

  public int slots() {
    return counts.length;
  }

  public long count(int slot) {
    return counts[slot];
  }

  public long total() {
    return total;
  }

  /** Lower bound of a slot's values. */
  public static long lowerBound(int slot) {
    return slot == 0 ? 0 : 1L << slot;
  }

  /** Exclusive upper bound of a slot's values (the last slot's is nominal). */
  public static long upperBound(int slot) {
    return slot >= 63 ? Long.MAX_VALUE : 1L << (slot + 1);
  }

  /**
   * The value below which a fraction {@code q} (0..1) of the samples fall, interpolated linearly
   * inside the slot that holds it; 0 for an empty histogram. Accurate to the slot (a factor of 2).
   */
  public double quantile(double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("quantile " + q + " is not in [0, 1]");
    }
    if (total == 0) {
      return 0;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      if (seen + counts[i] >= rank) {
        double within = (rank - seen) / counts[i];
        double lo = lowerBound(i);
        return lo + within * (upperBound(i) - lo);
      }
      seen += counts[i];
    }
    return upperBound(counts.length - 1);
  }

  /** This reading minus an earlier one of the same histogram (slot counts never go down). */
  public Log2Histogram minus(Log2Histogram earlier) {
    if (earlier.counts.length != counts.length) {
      throw new IllegalArgumentException("slot counts differ");
    }
    long[] d = new long[counts.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.max(0, counts[i] - earlier.counts[i]);
    }
    return new Log2Histogram(d);
  }

  public Log2Histogram plus(Log2Histogram other) {
    if (other.counts.length != counts.length) {
      throw new IllegalArgumentException("slot counts differ");
    }
    long[] s = counts.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] += other.counts[i];
    }
    return new Log2Histogram(s);
  }

  public long[] counts() {
    return counts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Log2Histogram h && Arrays.equals(counts, h.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Log2Histogram" + Arrays.toString(counts);
  }
}
