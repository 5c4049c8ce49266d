package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bounded ring: the oldest samples go first, and questions see only what it keeps. */
class SampleRingTest {
  @Test
  void keepsTheLatestSamplesAndCountsTheDropped() {
    SampleRing r = new SampleRing(4);
    for (int t = 1; t <= 6; t++) {
      r.add(t * 100, t / 10.0, new int[] {t});
    }
    assertThat(r.dropped()).isEqualTo(2);
    assertThat(r.oldest()).isEqualTo(300);
    assertThat(r.latest()).isEqualTo(600);
    assertThat(r.ran(2, 0, 1000)).as("evicted").isFalse();
    assertThat(r.ran(5, 450, 460)).as("sample 5's period (400, 500]").isTrue();
    assertThat(r.ran(5, 510, 560)).isFalse();
    assertThat(r.ran(3, 250, 260)).as("before the first period kept").isFalse();
    SampleRing.Busy b = r.busy(350, 550);
    // (350,400] at 0.4, (400,500] at 0.5, (500,550] at 0.6
    assertThat(b.coveredNs()).isEqualTo(200);
    assertThat(b.busyNs()).isEqualTo((long) (50 * 0.4 + 100 * 0.5 + 50 * 0.6));
    assertThat(b.samples()).isEqualTo(3);
    assertThat(r.busy(700, 800).coveredNs()).isZero();
  }
}
