package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhaseQueueTest {
  private final JfrCounters counters = new JfrCounters();

  @Test
  void aSlowListenerMakesNewPhasesDropNotPileUp() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> got = new CopyOnWriteArrayList<>();
    try (PhaseQueue q =
        new PhaseQueue(
            4,
            p -> {
              entered.countDown();
              await(release);
              got.add(p.name());
            },
            counters)) {
      q.offer(phase("held"));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 10; i++) {
        q.offer(phase("p" + i));
      }
      assertThat(q.size()).isEqualTo(4);
      assertThat(counters.dropped(JfrCounters.Drop.QUEUE_FULL)).isEqualTo(6);
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (got.size() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(5); // poll
      }
      assertThat(got).containsExactly("held", "p0", "p1", "p2", "p3");
    }
  }

  @Test
  void aThrowingListenerIsCountedAndDeliveryGoesOn() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    try (PhaseQueue q =
        new PhaseQueue(
            8,
            p -> {
              if (p.name().equals("bad")) {
                throw new IllegalStateException("listener bug");
              }
              got.add(p.name());
            },
            counters)) {
      q.offer(phase("bad"));
      q.offer(phase("good"));
    } // close delivers what is queued
    assertThat(got).containsExactly("good");
    assertThat(counters.dropped(JfrCounters.Drop.LISTENER_FAILED)).isEqualTo(1);
  }

  @Test
  void afterCloseOffersAreDropped() {
    PhaseQueue q = new PhaseQueue(8, p -> {}, counters);
    q.close();
    q.offer(phase("late"));
    assertThat(counters.dropped(JfrCounters.Drop.QUEUE_FULL)).isEqualTo(1);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("aiprof-jfr-phases") && t.isAlive());
  }

  private static Phase phase(String name) {
    return new Phase(name, PhaseOrigin.JFR, 1, 1, 0, 1, 0, null, null);
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
