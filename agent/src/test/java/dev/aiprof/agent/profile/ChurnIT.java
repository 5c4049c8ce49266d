package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.pipeline.FollowService;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Churn, as a busy node has it: 10,000 short-lived processes (2,000 in the suite), each with a
 * phase (so each is followed), and 1,000 cgroups (200) made, used and removed. What the agent holds
 * of them (the follow table, the kernel's followed map, the timelines, the per-cgroup statistics)
 * stays within its bounds while they live and is given back once they are gone: no stale identity
 * is kept.
 */
@Requires(
    root = true,
    tools = {"sh", "sleep"},
    files = {"/sys/kernel/btf/vmlinux", "/sys/fs/cgroup/unified/cgroup.procs"})
@NoBpfLeaks
class ChurnIT {
  // The suite runs a fifth of the figures (about 25 s); -Dchurn.processes=10000
  // -Dchurn.cgroups=1000 runs them all (about 2 min on the 2-core machine).
  static final int PROCESSES = Integer.getInteger("churn.processes", 2_000);
  static final int CGROUPS = Integer.getInteger("churn.cgroups", 200);
  static final int BATCH = 500;

  private final AtomicLong described = new AtomicLong();

  @Test
  void tenThousandShortLivedProcessesAndAThousandCgroupsLeaveNothingBehind() throws Exception {
    // Timelines of exited threads are kept for the retention (phases may still ask): 5 s here.
    Map<String, String> settings =
        Map.of("sched.cgroup-check-interval", "1s", "sched.retention", "5s");
    try (GroundTruthIT.Session s = GroundTruthIT.Session.start(settings, this::count)) {
      long t0 = System.nanoTime();
      int mostFollowed = 0;
      int mostKernel = 0;
      int mostThreads = 0;
      int reported = 0;
      for (int from = 0; from < PROCESSES; from += BATCH) {
        int n = Math.min(BATCH, PROCESSES - from);
        // One shell forks n sleeps of a second and prints each pid at once: each is reported
        // (and so followed) while it lives.
        Process sh =
            new ProcessBuilder(
                    "sh",
                    "-c",
                    "i=0; while [ $i -lt " + n + " ]; do sleep 1 & echo $!; i=$((i+1)); done; wait")
                .start();
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(sh.getInputStream(), StandardCharsets.US_ASCII))) {
          for (String line; (line = r.readLine()) != null; ) {
            report(s, Integer.parseInt(line.strip()));
            reported++;
          }
        }
        sh.waitFor();
        FollowService f = (FollowService) s.phases().follows();
        mostFollowed = Math.max(mostFollowed, f.size());
        mostKernel = Math.max(mostKernel, s.sched().probe().followedCount());
        mostThreads = Math.max(mostThreads, s.sched().timelines().threads());
      }
      double spawnS = (System.nanoTime() - t0) / 1e9;
      FollowService f = (FollowService) s.phases().follows();
      System.out.printf(
          "churn: spawned; follow table %d, kernel map %d, timelines %d%n",
          f.size(), s.sched().probe().followedCount(), s.sched().timelines().threads());
      // Other processes on the host may be followed too (the marker probe follows any process
      // that marks phases, other tests' included): none of these, and only a few of those.
      Await.until(
          "every exited process unfollowed",
          Duration.ofSeconds(30),
          Duration.ofMillis(100),
          () -> f.size() <= 16 && s.sched().probe().followedCount() <= 64 ? true : null);
      long followed = f.outcomes(dev.aiprof.api.follow.FollowOutcome.FOLLOWED);
      System.out.printf(
          "churn: %d short-lived processes in %.1f s: %d followed, at most %d in the follow table"
              + " (of %d), %d in the kernel's map (of %d), %d timelines; after: %d, %d, %d%n",
          reported,
          spawnS,
          followed,
          mostFollowed,
          s.sched().probe().followedCapacity(),
          mostKernel,
          s.sched().probe().followedCapacity(),
          mostThreads,
          f.size(),
          s.sched().probe().followedCount(),
          s.sched().timelines().threads());
      assertThat(reported).isEqualTo(PROCESSES);
      assertThat(followed).as("most were followed while they lived").isGreaterThan(PROCESSES / 2);
      assertThat(mostFollowed).isLessThanOrEqualTo(s.sched().probe().followedCapacity());
      Await.until(
          "the timelines of exited processes pruned",
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          () -> s.sched().timelines().threads() < 64 ? true : null);
      System.out.printf(
          "churn: timelines after the retention (5 s): %d%n", s.sched().timelines().threads());

      cgroupChurn(s);
    }
  }

  private void cgroupChurn(GroundTruthIT.Session s) throws Exception {
    Path root = Path.of("/sys/fs/cgroup/unified/aiprof-churn-" + ProcessHandle.current().pid());
    Files.createDirectories(root);
    List<Path> made = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    try {
      for (int from = 0; from < CGROUPS; from += 100) {
        List<Process> live = new ArrayList<>();
        for (int i = from; i < Math.min(CGROUPS, from + 100); i++) {
          Path c = Files.createDirectory(root.resolve("c" + i));
          made.add(c);
          ids.add((Long) Files.getAttribute(c, "unix:ino"));
          // A process that starts, is moved into the cgroup, and wakes there once.
          Process p = new ProcessBuilder("sh", "-c", "read x; sleep 0.05").start();
          Files.writeString(c.resolve("cgroup.procs"), Long.toString(p.pid()));
          p.getOutputStream().write('\n');
          p.getOutputStream().flush();
          live.add(p);
        }
        for (Process p : live) {
          p.waitFor();
        }
      }
      int seenLive = countOurs(s, ids);
      for (Path c : made.reversed()) {
        Files.delete(c);
      }
      Files.delete(root);
      int left =
          Await.until(
              "the statistics of removed cgroups deleted",
              Duration.ofSeconds(30),
              Duration.ofMillis(200),
              () -> {
                // A removed cgroup's entry goes once a collection exported its last values: each
                // poll collects, as an exporter does.
                RemovedCgroupsIT.collect(s, (m, a, v) -> {});
                return countOurs(s, ids) == 0 ? 0 : null;
              });
      System.out.printf(
          "churn: %d cgroups made and removed: %d had statistics in the kernel's map (of its"
              + " 4096), %d left after removal%n",
          CGROUPS, seenLive, left);
      assertThat(seenLive).as("the probe saw them").isPositive();
      assertThat(seenLive).isLessThanOrEqualTo(4096);
    } finally {
      for (Path c : made.reversed()) {
        Files.deleteIfExists(c);
      }
      Files.deleteIfExists(root);
    }
  }

  private static int countOurs(GroundTruthIT.Session s, Set<Long> ids) {
    int n = 0;
    for (CgroupSchedStats c : s.sched().probe().cgroups()) {
      if (ids.contains(c.cgroupId())) {
        n++;
      }
    }
    return n;
  }

  private static void report(GroundTruthIT.Session s, int pid) {
    long now = System.nanoTime();
    s.phases()
        .engine()
        .onPhase(
            new Phase("short", PhaseOrigin.OTLP, pid, pid, now - 1_000_000, now, 0, null, null));
  }

  private void count(CorrelatedPhase c) {
    described.incrementAndGet();
  }
}
