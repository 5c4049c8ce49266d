package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PhaseListener} that keeps everything, for assertions (a pipeline's tap: it sees the
 * phases as the collector reports them); thread-safe.
 */
final class PhaseRecorder implements PhaseListener {
  private final List<Phase> phases = new ArrayList<>();

  @Override
  public synchronized void onPhase(Phase phase) {
    phases.add(phase);
  }

  synchronized List<Phase> of(int pid) {
    return phases.stream().filter(p -> p.pid() == pid).toList();
  }

  /** Polls until {@code pid} has at least {@code count} phases; returns them in delivery order. */
  List<Phase> await(int pid, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (of(pid).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    List<Phase> got = of(pid);
    assertThat(got)
        .as("phases of pid %d within %s", pid, timeout)
        .hasSizeGreaterThanOrEqualTo(count);
    return got;
  }
}
