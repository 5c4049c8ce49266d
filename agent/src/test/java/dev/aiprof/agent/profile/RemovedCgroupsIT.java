package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.collectors.sched.SchedMetrics;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Await;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A thousand cgroups come and go (pods on a busy node): a process that wakes every half millisecond
 * is moved through them one after another, each removed once it left. The scheduler probe's
 * statistics of removed cgroups are deleted, so the kernel map and the exported series stay
 * bounded, and a removed cgroup stops being exported once a collection exported its last values
 * (the polls below collect, as an exporter does).
 */
@Requires(
    root = true,
    tools = "python3",
    files = {"/sys/kernel/btf/vmlinux"})
@NoBpfLeaks
class RemovedCgroupsIT {
  static final int CGROUPS = 1000;
  // sched.cgroup-check-interval 1s: found gone at the next check, deleted at the first check after
  // a collection (every 25 cgroups here), and a half second again.
  static final long STALE_NS = 3_500_000_000L;

  @Test
  void statisticsOfRemovedCgroupsAreDeletedAndStopBeingExported() throws Exception {
    String parent = "aiprof-removed-" + ProcessHandle.current().pid();
    Map<Long, Long> removedAt = new HashMap<>();
    Set<Long> removed = removedAt.keySet();
    int mostStale = 0;
    List<String> tooOld = new ArrayList<>();
    try (GroundTruthIT.Session s =
            GroundTruthIT.Session.start(Map.of("sched.cgroup-check-interval", "1s"), c -> {});
        CgroupDir top = CgroupDir.create(parent)) {
      Process waker =
          new ProcessBuilder("python3", "-c", "import time\nwhile True:\n    time.sleep(0.0005)")
              .start();
      long[] lastId = {0};
      try {
        for (int i = 0; i < CGROUPS; i++) {
          try (CgroupDir cg = CgroupDir.create(parent + "/cg-" + i)) {
            cg.add(waker.pid());
            long id = cg.id();
            lastId[0] = id;
            Await.until(
                "the waker seen in cgroup " + i,
                Duration.ofSeconds(5),
                Duration.ofMillis(1),
                () -> entries(s).stream().anyMatch(e -> e.cgroupId() == id) ? true : null);
            top.add(waker.pid()); // out again, so the cgroup can go
          }
          removedAt.put(lastId[0], System.nanoTime());
          if (i % 25 == 0) {
            // Every removed cgroup still exported was removed within the bound above.
            long now = System.nanoTime();
            Set<Long> stale = new HashSet<>(cgroupSeries(s));
            stale.retainAll(removed);
            mostStale = Math.max(mostStale, stale.size());
            for (long id : stale) {
              if (now - removedAt.get(id) > STALE_NS) {
                tooOld.add(id + " removed " + (now - removedAt.get(id)) / 1e6 + " ms before");
              }
            }
          }
        }
      } finally {
        waker.destroy();
        waker.waitFor();
      }
      Await.until(
          "the removed cgroups' statistics deleted",
          Duration.ofSeconds(15),
          Duration.ofMillis(100),
          () -> {
            cgroupSeries(s); // a collection: what waits for one to export it may go after it
            return entries(s).stream().noneMatch(e -> removed.contains(e.cgroupId())) ? true : null;
          });
      assertThat(cgroupSeries(s))
          .as("series of removed cgroups")
          .doesNotContainAnyElementsOf(removed);
      assertThat(removed).hasSize(CGROUPS);
      System.out.printf(
          "removed cgroups: %d; at most %d of them exported at once, each for at most 3.5 s%n",
          removed.size(), mostStale);
      assertThat(tooOld).as("removed cgroups exported past the bound").isEmpty();
      assertThat(counter(s, SchedMetrics.CGROUPS_REMOVED)).isGreaterThanOrEqualTo(CGROUPS);
    }
  }

  private static List<CgroupSchedStats> entries(GroundTruthIT.Session s) {
    return s.sched().probe().cgroups();
  }

  /** The cgroup ids the scheduler's CPU-time series name, as a metric collection reports them. */
  private static Set<Long> cgroupSeries(GroundTruthIT.Session s) {
    Set<Long> ids = new HashSet<>();
    collect(
        s,
        (m, a, v) -> {
          if (m.equals(SchedMetrics.CPU_TIME)) {
            ids.add(a.get(Identity.CGROUP_ID));
          }
        });
    return ids;
  }

  private static double counter(GroundTruthIT.Session s, MetricId id) {
    double[] v = {0};
    collect(
        s,
        (m, a, x) -> {
          if (m.equals(id)) {
            v[0] = x;
          }
        });
    return v[0];
  }

  interface Counter {
    void seen(MetricId m, Attributes a, double v);
  }

  static void collect(GroundTruthIT.Session s, Counter c) {
    s.phases()
        .metrics()
        .collect(
            new MetricSink() {
              @Override
              public void counter(MetricId m, Attributes a, double v) {
                c.seen(m, a, v);
              }

              @Override
              public void gauge(MetricId m, Attributes a, double v) {}

              @Override
              public void histogram(MetricId m, Attributes a, Log2Histogram h, long sum) {}
            });
  }
}
