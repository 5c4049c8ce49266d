package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.bpf.sched.SchedCounter;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Await;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An event storm: stress-ng's context-switch and fork/exec stressors for a few seconds, every
 * scheduler gap sent as an event ({@code sched.min-event=0}) and the stressors followed (every
 * episode of theirs an event too): over a million events in six seconds. What the ring cannot take
 * the kernel side drops and counts ({@code EVENTS_DROPPED}; here the consumer kept up), the agent's
 * memory stays bounded (timelines within their memory cap, live heap within a stated growth), and
 * the pipeline describes a phase correctly after.
 */
@Requires(
    root = true,
    tools = {"stress-ng", "sleep"},
    files = {"/sys/kernel/btf/vmlinux"})
@NoBpfLeaks
class StormIT {
  static final int SECONDS = 6;

  /**
   * Live heap (after a full collection) the storm may leave added: the timelines' cap is 32 MiB.
   * RSS is printed, not asserted: the test JVM's heap is not the agent's -Xmx192m.
   */
  static final long MAX_LIVE_GROWTH = 48L << 20;

  private final List<CorrelatedPhase> out = Collections.synchronizedList(new ArrayList<>());

  @Test
  void aForkExecAndContextSwitchStormIsCountedAndMemoryStaysBounded() throws Exception {
    Map<String, String> settings = Map.of("sched.min-event", "0");
    try (GroundTruthIT.Session s = GroundTruthIT.Session.start(settings, out::add)) {
      // The session's test log of every episode (a million here) is not the agent's.
      s.sched().removeListener(s.episodes());
      long live0 = liveHeap();
      long rss0 = rssKb();
      long events0 = s.sched().probe().counter(SchedCounter.EVENTS);
      long dropped0 = s.sched().probe().counter(SchedCounter.EVENTS_DROPPED);
      long received0 = s.sched().eventsReceived();
      Process storm =
          new ProcessBuilder(
                  "stress-ng",
                  "--switch",
                  "2",
                  "--exec",
                  "2",
                  "--timeout",
                  SECONDS + "s",
                  "--quiet")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      long t0 = System.nanoTime();
      long mostRss = rss0;
      long mostTimelines = 0;
      // Follow the stressors as they appear: phases of theirs make the engine follow them.
      while (storm.isAlive()) {
        storm.descendants().limit(64).forEach(p -> report(s, (int) p.pid(), "storm"));
        mostRss = Math.max(mostRss, rssKb());
        mostTimelines = Math.max(mostTimelines, s.sched().timelines().memoryBytes());
        Thread.sleep(200);
      }
      storm.waitFor(30, TimeUnit.SECONDS);
      double wallS = (System.nanoTime() - t0) / 1e9;
      long events = s.sched().probe().counter(SchedCounter.EVENTS) - events0;
      long dropped = s.sched().probe().counter(SchedCounter.EVENTS_DROPPED) - dropped0;
      long received = s.sched().eventsReceived() - received0;
      long live = liveHeap();
      System.out.printf(
          "storm: %.1f s of stress-ng --switch 2 --exec 2: %d events submitted, %d dropped (ring"
              + " full), %d received; RSS %d -> at most %d MB, timelines at most %d of %d MB, live"
              + " heap %d -> %d MB%n",
          wallS,
          events,
          dropped,
          received,
          rss0 >> 10,
          mostRss >> 10,
          mostTimelines >> 20,
          s.sched().timelines().memoryCapacityBytes() >> 20,
          live0 >> 20,
          live >> 20);
      assertThat(events + dropped).as("a storm of events").isGreaterThan(SECONDS * 10_000L);
      assertThat(received)
          .as("the events submitted were received, but for those still in the ring")
          .isGreaterThan(events * 95 / 100 - 10_000);
      assertThat(mostTimelines).isLessThanOrEqualTo(s.sched().timelines().memoryCapacityBytes());
      assertThat(live - live0).isLessThanOrEqualTo(MAX_LIVE_GROWTH);

      // After the storm: a sleeping process is followed and described truthfully.
      Process calm = new ProcessBuilder("sleep", "5").start();
      try {
        // Followed at once, while it still starts: its start's episodes, from before the follow,
        // reach the timeline after it (every episode is an event here), and must not end the
        // sleep it was followed in (FollowIT has the same without the storm).
        long a = System.nanoTime();
        report(s, (int) calm.pid(), "warm-up");
        Await.until(
            "the calm process followed",
            Duration.ofSeconds(10),
            Duration.ofMillis(20),
            () -> s.phases().follows().followed((int) calm.pid()).orElse(null));
        long b = System.nanoTime();
        Thread.sleep(500);
        long c = System.nanoTime();
        s.phases()
            .engine()
            .onPhase(
                new Phase(
                    "calm",
                    PhaseOrigin.OTLP,
                    (int) calm.pid(),
                    (int) calm.pid(),
                    b,
                    c,
                    0,
                    null,
                    null));
        CorrelatedPhase d =
            Await.until(
                "the calm phase",
                Duration.ofSeconds(20),
                Duration.ofMillis(50),
                () -> {
                  synchronized (out) {
                    return out.stream()
                        .filter(x -> x.phase().name().equals("calm"))
                        .findFirst()
                        .orElse(null);
                  }
                });
        assertThat(d.attributes().get(FollowIT.COVERAGE)).isGreaterThan(0.95);
        assertThat(d.attributes().get(FollowIT.SLEEP))
            .as("%s", d.attributes())
            .isGreaterThan(0.9 * (c - b) / 1e6);
        assertThat(a).isLessThan(b);
      } finally {
        calm.destroy();
        calm.waitFor();
      }
    }
  }

  private static void report(GroundTruthIT.Session s, int pid, String name) {
    long now = System.nanoTime();
    s.phases()
        .engine()
        .onPhase(new Phase(name, PhaseOrigin.OTLP, pid, pid, now - 1_000_000, now, 0, null, null));
  }

  private static long liveHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new AssertionError("no VmRSS in /proc/self/status");
  }
}
