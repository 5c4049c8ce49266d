package dev.aiprof.bpf.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.RingBufferPoller;
import dev.aiprof.testing.Libc;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.SleepThenSpin;
import dev.aiprof.testing.WorkloadProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Some hosts do not trace every scheduler event (on this one, nothing is traced while a thread of
 * PID 1 runs): a thread can be woken and get a CPU with no event seen. The probe must still report
 * that episode, completed from the kernel's own accounting, when the thread next leaves the CPU.
 * The test makes a thread's wakeup and switch-in invisible by detaching the programs while it
 * sleeps, and compares the rebuilt episode with the times the thread itself saw.
 */
@Requires(root = true, tools = "taskset", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class UntracedEventsIT {
  private static final long MS = 1_000_000L;

  record Seen(long offcpu, long runnable, long oncpu, OffCpuKind kind, boolean rebuilt) {}

  @ParameterizedTest
  @EnumSource(SchedProbe.Variant.class)
  void anEpisodeWhoseWakeupAndSwitchInWereNotTracedIsRebuilt(SchedProbe.Variant variant)
      throws Exception {
    // The sleeper alone on the last CPU; this thread (and the poller it starts), the sleeper's
    // JVM and the test's JVM elsewhere, so that nothing takes its CPU while nothing is traced.
    int cpus = Runtime.getRuntime().availableProcessors();
    assertThat(cpus).as("CPUs (the test needs two)").isGreaterThanOrEqualTo(2);
    String sleeperCpu = Integer.toString(cpus - 1);
    Libc.pinTo(0);
    try {
      // Detaching hides the sleeper's own switch-outs as well, which no host does: if another task
      // takes its CPU in that window (this host's agent runs on every CPU), the sleep ends at the
      // sleeper's next traced switch-in, after it already ran, and nothing was rebuilt. That run
      // tests nothing; try again, a few times at most.
      for (int attempt = 1; !check(variant, sleeperCpu); attempt++) {
        assertThat(attempt).as("attempts that lost the CPU while nothing was traced").isLessThan(3);
      }
    } finally {
      Libc.unpin();
    }
  }

  /** One run; false when the sleeper lost its CPU while the programs were detached. */
  private static boolean check(SchedProbe.Variant variant, String sleeperCpu) throws Exception {
    List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    SchedConfig config = SchedConfig.builder().traceFollowed(true).build();
    long sleeping;
    long woke;
    long missed;
    long resumed;
    try (WorkloadProcess w =
            WorkloadProcess.start("0", SleepThenSpin.class, sleeperCpu, "300", "20");
        SchedProbe probe = SchedProbe.load(variant, config)) {
      int tid = Integer.parseInt(w.readLine().substring("tid ".length()));
      SchedEventView view = new SchedEventView();
      try (RingBufferPoller poller =
          probe.pollEvents(
              (address, size) -> {
                view.at(address);
                if (view.tid() == tid) {
                  seen.add(
                      new Seen(
                          view.offcpuTs(),
                          view.runnableTs(),
                          view.oncpuTs(),
                          view.kind(),
                          view.rebuilt()));
                }
              },
              Duration.ofMillis(10),
              Duration.ofMillis(10))) {
        probe.follow((int) w.pid());
        w.send("go");
        sleeping = Long.parseLong(w.readLine().substring("sleeping ".length()));
        awaitAsleep(probe, tid, sleeping);
        probe.suspend(); // its wakeup and its switch-in go unseen
        woke = Long.parseLong(w.readLine().substring("woke ".length()));
        probe.resume(); // its next switch-out is seen
        resumed = System.nanoTime(); // CLOCK_MONOTONIC, as the programs' timestamps
        w.send("spin-done");
        assertThat(w.readLine()).isEqualTo("done");
        awaitEpisodeAfter(seen, woke);
        missed = probe.counter(SchedCounter.SWITCH_IN_MISSING);
      }
    }
    Seen sleep =
        seen.stream()
            .filter(s -> s.offcpu() >= sleeping && s.offcpu() < woke)
            .max(java.util.Comparator.comparingLong(s -> s.oncpu() - s.offcpu()))
            .orElseThrow(() -> new AssertionError("the 300 ms sleep was not reported: " + seen));
    if (!sleep.rebuilt() && sleep.oncpu() > woke) {
      System.out.printf(
          "%s: the sleeper lost its CPU %.3f ms after it ran, while nothing was traced%n",
          variant, (sleep.oncpu() - woke) / 1e6);
      return false;
    }
    if (sleep.rebuilt() && sleep.oncpu() > woke + 2 * MS && sleep.oncpu() <= resumed) {
      // Another task took the CPU before the programs were back (this test's thread reads the
      // "woke" line first, which a busy host can delay): the switch back is what was rebuilt.
      System.out.printf(
          "%s: the sleeper lost its CPU %.3f ms after it ran, %.3f ms before the programs were"
              + " attached again%n",
          variant, (sleep.oncpu() - woke) / 1e6, (resumed - sleep.oncpu()) / 1e6);
      return false;
    }
    System.out.printf(
        "%s: rebuilt switch-in %.3f ms before the thread saw itself run, off-CPU %.3f ms,"
            + " runqueue %.3f ms%n",
        variant,
        (woke - sleep.oncpu()) / 1e6,
        (sleep.runnable() - sleep.offcpu()) / 1e6,
        (sleep.oncpu() - sleep.runnable()) / 1e6);
    assertThat(sleep.rebuilt()).as("marked rebuilt").isTrue();
    assertThat(sleep.kind()).isEqualTo(OffCpuKind.SLEEP);
    assertThat(sleep.runnable() - sleep.offcpu()).as("asleep").isGreaterThan(299 * MS);
    assertThat(sleep.runnable()).isLessThanOrEqualTo(sleep.oncpu());
    // The thread read its clock a moment after it got the CPU. Until the programs were attached
    // again (a millisecond or two) another task may have taken the CPU from it unseen, and the
    // rebuilt switch-in is then that task's switch back: later, by at most that window.
    assertThat(sleep.oncpu()).as("rebuilt switch-in").isBetween(woke - 2 * MS, woke + 2 * MS);
    assertThat(missed).as("switch-ins rebuilt").isPositive();
    return true;
  }

  /** Waits until the probe has seen the thread leave the CPU to sleep. */
  private static void awaitAsleep(SchedProbe probe, int tid, long since) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      boolean asleep =
          probe
              .thread(tid)
              .filter(ThreadSchedStats::offCpuNow)
              .filter(t -> t.lastKind() == OffCpuKind.SLEEP && t.lastOffcpuTs() >= since)
              .isPresent();
      if (asleep) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the probe never saw thread " + tid + " go to sleep");
  }

  private static void awaitEpisodeAfter(List<Seen> seen, long t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      synchronized (seen) {
        if (seen.stream().anyMatch(s -> s.offcpu() > t)) {
          return;
        }
      }
      Thread.onSpinWait();
    }
  }
}
