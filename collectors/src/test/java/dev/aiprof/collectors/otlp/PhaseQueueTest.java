package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseOrigin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhaseQueueTest {
  private static Phase phase(String name, int pid) {
    return new Phase(name, PhaseOrigin.OTLP, pid, 0, 1, 2, 0, null, null);
  }

  /** Records what it is given; blocks in onPhase until released when told to. */
  private static final class Recorder implements PhaseListener {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch release;
    final CountDownLatch entered = new CountDownLatch(1);

    Recorder(boolean block) {
      release = new CountDownLatch(block ? 1 : 0);
    }

    @Override
    public void onPhase(Phase p) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (p.name().equals("boom")) {
        throw new IllegalStateException("consumer bug");
      }
      calls.add(p.name());
    }
  }

  @Test
  void deliversInOrder() {
    Recorder r = new Recorder(false);
    try (PhaseQueue q = new PhaseQueue(10, r, new OtlpCounters())) {
      q.start();
      assertThat(q.offer(List.of(phase("a", 7), phase("b", 7), phase("c", 0)))).isTrue();
      assertThat(q.offer(List.of(phase("d", 8), phase("e", 7)))).isTrue();
    }
    assertThat(r.calls).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void refusesWholeBatchesBeyondItsCapacityUntilTheConsumerCatchesUp() throws Exception {
    Recorder r = new Recorder(true);
    try (PhaseQueue q = new PhaseQueue(3, r, new OtlpCounters())) {
      q.start();
      assertThat(q.offer(List.of(phase("a", 1), phase("b", 1)))).isTrue();
      assertThat(r.entered.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(q.offer(List.of(phase("c", 1), phase("d", 1)))).as("2 + 2 > 3").isFalse();
      assertThat(q.offer(List.of(phase("c", 1)))).isTrue();
      assertThat(q.queued()).isEqualTo(3);
      r.release.countDown();
    }
    assertThat(r.calls).containsExactly("a", "b", "c");
  }

  @Test
  void anOversizedBatchIsTakenWhenTheQueueIsEmpty() {
    Recorder r = new Recorder(false);
    try (PhaseQueue q = new PhaseQueue(1, r, new OtlpCounters())) {
      assertThat(q.offer(List.of(phase("a", 0), phase("b", 0)))).isTrue();
      assertThat(q.offer(List.of(phase("c", 0)))).isFalse();
      q.start();
    }
    assertThat(r.calls).containsExactly("a", "b");
  }

  @Test
  void aThrowingListenerIsCountedAndDeliveryGoesOn() {
    Recorder r = new Recorder(false);
    OtlpCounters counters = new OtlpCounters();
    try (PhaseQueue q = new PhaseQueue(10, r, counters)) {
      q.start();
      q.offer(List.of(phase("boom", 0), phase("after", 0)));
    }
    assertThat(r.calls).containsExactly("after");
    assertThat(counters.deliveryErrors.sum()).isEqualTo(1);
  }

  @Test
  void aClosedQueueRefusesAndCloseIsIdempotent() {
    PhaseQueue q = new PhaseQueue(10, PhaseListener.NONE, new OtlpCounters());
    q.start();
    q.close();
    q.close();
    assertThat(q.offer(List.of(phase("late", 0)))).isFalse();
  }
}
