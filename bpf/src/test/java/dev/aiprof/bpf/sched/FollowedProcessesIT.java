package dev.aiprof.bpf.sched;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.bpf.BpfException;
import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Errno;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The followed set and its generation against the kernel. Pids from 2^30 up are above any pid_max
 * (at most 2^22), so no real process is followed or unfollowed by the kernel meanwhile.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class FollowedProcessesIT {
  private static final Features FEATURES = new FeatureProber().probe();
  private static final int FAKE_PID = 1 << 30;

  @Test
  void noBumpIsLostBetweenJavaThreadsAndAProgram() throws Exception {
    int threads = 4;
    int rounds = 3000;
    try (SchedProbe probe = SchedProbe.load(FEATURES, SchedConfig.builder().build());
        BpfObject bumper = BpfObject.openResource(FollowedProcessesIT.class, "follow_test")) {
      bumper.map("followed").reuse(probe.followedMap());
      bumper.map("follow_generation").reuse(probe.followGenerationMap());
      bumper.load();
      int start = probe.followGeneration();
      long kernelAtStart;
      long kernelAtEnd;
      int batches = 0;
      try (BpfLink link = bumper.program("bump_on_switch").attachTrace()) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          kernelAtStart = kernelBumps(bumper);
          // Batches until the kernel has bumped often enough meanwhile (a quiet machine switches
          // less while the Java threads run): the race needs both sides at once.
          do {
            runBatch(pool, probe, threads, rounds, batches++);
            kernelAtEnd = kernelBumps(bumper);
          } while (kernelAtEnd - kernelAtStart <= 100 && batches < 50);
        } finally {
          pool.shutdownNow();
        }
      }
      int end = probe.followGeneration();
      long kernel = kernelBumps(bumper); // detached: final
      long java = 2L * threads * rounds * batches;
      System.out.printf(
          "follow generation: %d Java bumps in %d batches, %d kernel bumps (%d while Java"
              + " bumped)%n",
          java, batches, kernel, kernelAtEnd - kernelAtStart);
      assertThat(kernelAtEnd - kernelAtStart)
          .as("kernel bumps while the Java threads bumped")
          .isGreaterThan(100);
      assertThat(end - start).as("generation growth").isEqualTo((int) (java + kernel));
      assertThat(probe.followedCount()).isZero();
    }
  }

  /** {@code threads} threads each follow and unfollow {@code rounds} fake pids of their own. */
  private static void runBatch(
      ExecutorService pool, SchedProbe probe, int threads, int rounds, int batch) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = FAKE_PID + (batch * threads + t) * rounds;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int r = 0; r < rounds; r++) {
                  probe.follow(base + r);
                  probe.unfollow(base + r);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
  }

  @Test
  void aFullFollowedMapIsReportedAsSuch() {
    try (SchedProbe probe = SchedProbe.load(FEATURES, SchedConfig.builder().build())) {
      int capacity = probe.followedCapacity();
      assertThat(capacity).isEqualTo(probe.followedMap().maxEntries()).isPositive();
      for (int i = 0; i < capacity; i++) {
        assertThat(probe.tryFollow(FAKE_PID + i)).as("follow #%d", i).isTrue();
      }
      assertThat(probe.followedCount()).isEqualTo(capacity);
      int generation = probe.followGeneration();
      assertThat(probe.tryFollow(FAKE_PID + capacity)).as("one past capacity").isFalse();
      assertThat(probe.followGeneration())
          .as("a refused follow bumps nothing")
          .isEqualTo(generation);
      assertThatThrownBy(() -> probe.follow(FAKE_PID + capacity))
          .isInstanceOf(BpfException.class)
          .hasMessageContaining("followed is full (" + capacity + " processes)")
          .satisfies(e -> assertThat(((BpfException) e).errno()).isEqualTo(Errno.E2BIG));
      assertThat(probe.tryFollow(FAKE_PID)).as("one already followed").isTrue();
      probe.unfollow(FAKE_PID + 1);
      assertThat(probe.tryFollow(FAKE_PID + capacity)).as("after an unfollow").isTrue();
      assertThat(probe.followedCount()).isEqualTo(capacity);
    }
  }

  private static long kernelBumps(BpfObject bumper) {
    BpfMap m = bumper.map("bumps");
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(JAVA_LONG);
      m.lookup(a.allocateFrom(JAVA_INT, 0), v);
      return v.get(JAVA_LONG, 0);
    }
  }
}
