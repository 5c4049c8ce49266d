package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@link PhaseListener} that keeps every phase with its monotonic delivery time. */
final class PhaseRecorder implements PhaseListener {
  /** A phase and when it was delivered (System.nanoTime). */
  record Delivered(Phase phase, long deliveredNs) {}

  private final List<Delivered> phases = new ArrayList<>();

  @Override
  public synchronized void onPhase(Phase phase) {
    phases.add(new Delivered(phase, System.nanoTime()));
  }

  synchronized List<Delivered> all() {
    return List.copyOf(phases);
  }

  /** Polls until a phase matches, up to {@code timeout}; fails naming what did arrive. */
  Delivered await(String what, Predicate<Phase> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Delivered d : all()) {
        if (match.test(d.phase())) {
          return d;
        }
      }
      Thread.sleep(20); // poll
    }
    assertThat(all().stream().map(d -> d.phase().name()).distinct().toList())
        .as("no phase " + what + " within " + timeout + "; phases that arrived")
        .isEmpty();
    throw new AssertionError("unreachable");
  }
}
