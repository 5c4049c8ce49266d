package dev.aiprof.exporters.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.metrics.Log2Histogram;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramLayoutTest {
  @Test
  void defaultBoundariesArePowersOfTwoNanosecondsInSeconds() {
    List<Double> b = HistogramLayout.DEFAULT.boundaries(40);
    assertThat(b).hasSize(29);
    assertThat(b.getFirst()).isEqualTo(2048e-9);
    assertThat(b.getLast()).isEqualTo((1L << 39) / 1e9);
    for (int i = 1; i < b.size(); i++) {
      assertThat(b.get(i)).isEqualTo(b.get(i - 1) * 2);
    }
  }

  @Test
  void everySlotLandsInTheBucketWhoseBoundsHoldItsValues() {
    HistogramLayout layout = HistogramLayout.DEFAULT;
    List<Double> bounds = layout.boundaries(40);
    for (int slot = 11; slot < 39; slot++) {
      long[] c = new long[40];
      c[slot] = 1;
      List<Long> counts = layout.counts(new Log2Histogram(c));
      int bucket = counts.indexOf(1L);
      double upper = bounds.get(bucket);
      double lower = bucket == 0 ? 0 : bounds.get(bucket - 1);
      assertThat(Log2Histogram.lowerBound(slot) / 1e9).isGreaterThanOrEqualTo(lower);
      assertThat(Log2Histogram.upperBound(slot) / 1e9).isLessThanOrEqualTo(upper);
    }
  }

  @Test
  void leadingSlotsShareTheFirstBucketAndTrailingOnesTheOpenBucket() {
    HistogramLayout layout = new HistogramLayout(2, 5);
    long[] c = {1, 2, 3, 4, 5, 6, 7, 8};
    assertThat(layout.boundaries(8)).containsExactly(8e-9, 16e-9, 32e-9);
    // slots 0-2 (< 8 ns) | slot 3 | slot 4 | slots 5-7 (>= 32 ns)
    assertThat(layout.counts(new Log2Histogram(c))).containsExactly(6L, 4L, 5L, 21L);
  }

  @Test
  void theLayoutDependsOnlyOnTheSlotCount() {
    long[] a = new long[40];
    long[] b = new long[40];
    a[12] = 5;
    b[30] = 7;
    HistogramLayout l = HistogramLayout.DEFAULT;
    assertThat(l.counts(new Log2Histogram(a)))
        .hasSameSizeAs(l.counts(new Log2Histogram(b)))
        .hasSize(l.boundaries(40).size() + 1);
  }

  @Test
  void tooFewSlotsGiveOneBucket() {
    HistogramLayout layout = new HistogramLayout(4, 10);
    assertThat(layout.boundaries(3)).isEmpty();
    assertThat(layout.counts(new Log2Histogram(new long[] {1, 1, 1}))).containsExactly(3L);
  }

  @Test
  void badExponentsAreRefused() {
    assertThatThrownBy(() -> new HistogramLayout(5, 5)).hasMessageContaining("0 <= min < max");
  }
}
