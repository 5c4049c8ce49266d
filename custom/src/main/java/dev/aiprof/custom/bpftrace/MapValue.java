package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.metrics.Log2Histogram;

/** One key's value in a printed map. */
public sealed interface MapValue {
  /** A number: {@code count()}, {@code sum()}, {@code max()}, a plain integer. */
  record Number(double value) implements MapValue {}

  /**
   * A {@code hist()} or {@code lhist()}: its buckets as log2 slots (an {@code lhist} bucket goes to
   * the slot of its lower bound), and the sum estimated from bucket midpoints (bpftrace prints no
   * sum).
   */
  record Histogram(Log2Histogram slots, long estimatedSum) implements MapValue {}

  /** A {@code stats()}: how many values, their total and average. */
  record Stats(long count, long total, long average) implements MapValue {}
}
