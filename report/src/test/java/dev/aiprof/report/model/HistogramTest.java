package dev.aiprof.report.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void fivePerDecadeBucketsSpanTheValues() {
    Histogram h = Histogram.of(List.of(1.0, 1.2, 2.0, 9.0, 12.0));
    assertThat(h.edges()[0]).isEqualTo(1.0);
    assertThat(h.edges()[h.edges().length - 1]).isGreaterThan(12.0);
    assertThat(h.counts()).hasSize(h.edges().length - 1);
    assertThat(h.counts()[0]).isEqualTo(2); // 1.0 and 1.2 are in [1, 1.585)
    assertThat(java.util.Arrays.stream(h.counts()).sum()).isEqualTo(5);
    assertThat(h.count()).isEqualTo(5);
  }

  @Test
  void percentilesAreNearestRank() {
    Histogram h = Histogram.of(List.of(4.0, 1.0, 3.0, 2.0));
    assertThat(h.p50()).isEqualTo(2.0);
    assertThat(h.p99()).isEqualTo(4.0);
    assertThat(h.max()).isEqualTo(4.0);
  }

  @Test
  void noValuesNoBuckets() {
    Histogram h = Histogram.of(List.of());
    assertThat(h.count()).isZero();
    assertThat(h.edges()).isEmpty();
  }
}
