package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Test helper: the kernel frees BPF objects after an RCU grace period, so absence is polled. */
public final class KernelIds {
  private KernelIds() {}

  /** Waits (up to 10 s) until none of {@code ours} is among the ids {@code live} lists. */
  public static void awaitGone(String what, Supplier<List<Integer>> live, List<Integer> ours) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (live.get().stream().anyMatch(ours::contains) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(live.get()).as(what + " left in the kernel").doesNotContainAnyElementsOf(ours);
  }
}
