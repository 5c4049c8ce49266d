package dev.aiprof.collectors.marker;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.follow.Followed;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.bpf.phase.PhaseCounter;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.bpf.sched.ThreadSchedStats;
import dev.aiprof.collectors.FollowRecorder;
import dev.aiprof.collectors.sched.SchedCollector;
import dev.aiprof.collectors.sched.SchedProvider;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * In-kernel following: with the scheduler collector running, the pipeline gives the marker
 * collector its follow maps, so a process's first marker call adds it to {@code followed} and bumps
 * the generation, and the scheduler probe starts per-thread statistics for it. Nothing in user
 * space follows it before that call; the follow service is told afterwards, from the call's time.
 */
@Requires(
    root = true,
    tools = {"gcc", "make"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class MarkerFollowIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** Each of marker_threads' two threads: a request, three steps, an I/O phase in each step. */
  private static final int PHASES = 2 * (1 + 3 * 2);

  @Test
  void theFirstMarkerCallMakesTheSchedulerProbeFollowTheProcess() throws Exception {
    Path exe = MarkerBuild.program("marker_threads");
    PhaseRecorder phases = new PhaseRecorder();
    try (RunningMarker m =
        new RunningMarker(
            phases,
            Map.of("marker.scan-interval", "10m"),
            SchedProvider.NAME,
            FollowRecorder.NAME)) {
      MarkerCollector marker = m.collector;
      assertThat(marker.followsInKernel()).as("sched runs: its follow maps are shared").isTrue();
      SchedProbe probe = m.pipeline.collector(SchedProvider.NAME, SchedCollector.class).probe();
      try (Child p = Child.start(List.of(exe.toString()), Map.of())) {
        p.await("ready", TIMEOUT);
        marker.scan();
        assertThat(followed(probe, p.pid())).as("followed before any marker call").isFalse();
        assertThat(statsOf(probe, p.pid())).as("thread stats before any marker call").isEmpty();
        p.send("go");
        p.await("done", TIMEOUT);
        assertThat(followed(probe, p.pid())).as("followed after the first marker call").isTrue();
        // The follow service was told, from the time of the process's first call: the first of
        // the two threads' first calls that the ring delivered. The two threads race, and the
        // ring orders their events by reservation, not by time, so the other thread's first call
        // may be earlier by the width of that race; any later call is not a first call.
        List<Phase> got = phases.await(p.pid(), PHASES, TIMEOUT);
        Followed f = m.follows().followed(p.pid()).orElseThrow();
        List<Long> firstCalls =
            got.stream().filter(ph -> ph.depth() == 0).map(Phase::startNs).toList();
        assertThat(firstCalls).as("one request phase per thread").hasSize(2);
        assertThat(f.sinceNs()).isPositive().isIn(firstCalls);
        assertThat(m.follower().starts(p.pid())).as("followed once").isEqualTo(1);
        assertThat(m.follower().followed()).anySatisfy(k -> assertThat(k.pid()).isEqualTo(p.pid()));
        ThreadSchedStats main = awaitMainThreadStats(probe, p.pid());
        assertThat(main.onCpuSlices() + main.runqueueCount()).isPositive();
        assertThat(marker.probe().counter(PhaseCounter.FOLLOWED)).isPositive();
        assertThat(marker.probe().counter(PhaseCounter.FOLLOW_FULL)).isZero();
        p.send("exit");
        assertThat(p.waitFor(TIMEOUT)).isZero();
      }
    }
  }

  private static boolean followed(SchedProbe probe, int pid) {
    try (Arena a = Arena.ofConfined()) {
      return probe.followedMap().lookup(a.allocateFrom(JAVA_INT, pid), a.allocate(JAVA_BYTE));
    }
  }

  private static List<ThreadSchedStats> statsOf(SchedProbe probe, int pid) {
    return probe.threads().values().stream().filter(t -> t.pid() == pid).toList();
  }

  /** The main thread is alive (waiting for "exit") and was switched since the follow began. */
  private static ThreadSchedStats awaitMainThreadStats(SchedProbe probe, int pid)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ThreadSchedStats t = probe.threads().get(pid);
      if (t != null) {
        assertThat(t.pid()).isEqualTo(pid);
        return t;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no thread stats for the main thread of " + pid + " within 10 s");
  }
}
