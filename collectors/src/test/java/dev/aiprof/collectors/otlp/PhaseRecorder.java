package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A thread-safe {@link PhaseListener} that keeps what it gets; can hold delivery until released. As
 * a pipeline's tap it sees each phase on the receiver's delivery thread, before the engine.
 */
final class PhaseRecorder implements PhaseListener {
  final List<Phase> phases = Collections.synchronizedList(new ArrayList<>());
  final CountDownLatch gate;

  PhaseRecorder() {
    this(false);
  }

  /** With {@code hold}, every delivery waits until {@link #release()}. */
  PhaseRecorder(boolean hold) {
    gate = new CountDownLatch(hold ? 1 : 0);
  }

  void release() {
    gate.countDown();
  }

  @Override
  public void onPhase(Phase phase) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    phases.add(phase);
  }

  /** Waits (polling, 10 s at most) until at least {@code n} phases arrived; returns them all. */
  List<Phase> await(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (phases.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    List<Phase> copy;
    synchronized (phases) {
      copy = List.copyOf(phases);
    }
    assertThat(copy).as("phases delivered within 10 s").hasSizeGreaterThanOrEqualTo(n);
    return copy;
  }

  Phase named(String name) {
    synchronized (phases) {
      return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
  }
}
