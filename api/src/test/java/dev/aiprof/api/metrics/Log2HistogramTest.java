package dev.aiprof.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class Log2HistogramTest {
  private static long[] slots(int n, int... pairs) {
    long[] c = new long[n];
    for (int i = 0; i < pairs.length; i += 2) {
      c[pairs[i]] = pairs[i + 1];
    }
    return c;
  }

  @Test
  void bucketBoundsArePowersOfTwo() {
    assertThat(Log2Histogram.lowerBound(0)).isZero();
    assertThat(Log2Histogram.lowerBound(10)).isEqualTo(1024);
    assertThat(Log2Histogram.upperBound(10)).isEqualTo(2048);
  }

  @Test
  void quantileInterpolatesInsideTheSlot() {
    // 100 samples in [1024, 2048): the median is halfway.
    Log2Histogram h = new Log2Histogram(slots(40, 10, 100));
    assertThat(h.quantile(0.5)).isCloseTo(1536, within(1.0));
    assertThat(h.quantile(1.0)).isCloseTo(2048, within(1.0));
    assertThat(h.quantile(0.0)).isCloseTo(1024, within(1.0));
  }

  @Test
  void quantileFindsTheSlotHoldingTheRank() {
    // 90 fast samples, 10 slow ones: p50 is fast, p99 is slow.
    Log2Histogram h = new Log2Histogram(slots(40, 5, 90, 20, 10));
    assertThat(h.quantile(0.5)).isBetween(32.0, 64.0);
    assertThat(h.quantile(0.99)).isBetween((double) (1 << 20), (double) (1 << 21));
  }

  @Test
  void emptyHistogramHasZeroQuantiles() {
    assertThat(Log2Histogram.empty(40).quantile(0.99)).isZero();
    assertThat(Log2Histogram.empty(40).total()).isZero();
  }

  @Test
  void minusGivesTheIntervalAndPlusAdds() {
    Log2Histogram before = new Log2Histogram(slots(8, 1, 5, 3, 2));
    Log2Histogram after = new Log2Histogram(slots(8, 1, 7, 3, 2, 4, 1));
    Log2Histogram d = after.minus(before);
    assertThat(d.counts()).containsExactly(0, 2, 0, 0, 1, 0, 0, 0);
    assertThat(d.total()).isEqualTo(3);
    assertThat(before.plus(d)).isEqualTo(after);
  }

  @Test
  void rejectsMismatchedShapesAndBadQuantiles() {
    assertThatThrownBy(() -> Log2Histogram.empty(8).minus(Log2Histogram.empty(9)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Log2Histogram.empty(8).quantile(1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
