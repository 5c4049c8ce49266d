package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The close runs on its own thread; a close that blocks is left behind at the deadline. */
class ShutdownDeadlineTest {
  @Test
  void aCloseThatHangsIsLeftAtTheDeadlineOneThatEndsIsWaitedFor() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    long t0 = System.nanoTime();
    assertThat(ShutdownDeadline.close(never::await, Duration.ofMillis(300))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    CountDownLatch closed = new CountDownLatch(1);
    assertThat(ShutdownDeadline.close(closed::countDown, Duration.ofSeconds(30))).isTrue();
    assertThat(closed.getCount()).isZero();
    assertThat(
            ShutdownDeadline.close(
                () -> {
                  throw new IllegalStateException("x");
                },
                Duration.ofSeconds(30)))
        .as("a failing close is logged, not thrown")
        .isTrue();
    never.countDown();
  }
}
