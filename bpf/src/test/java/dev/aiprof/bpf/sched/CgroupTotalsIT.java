package dev.aiprof.bpf.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.Contention;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.Schedstat;
import dev.aiprof.testing.WorkloadProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A workload's totals in {@code cgroup_stats} for a process nobody follows, whose switches the
 * tp_btf variant adds up in task storage and writes to the entry in batches: once the process has
 * left the cgroup and run again, every batch has reached the entry, and its on-CPU time and
 * runqueue wait match the sum of its threads' schedstat within 2%. (Followed processes are checked
 * thread by thread in {@link SchedProbeIT}.)
 */
@Requires(root = true, tools = "taskset", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class CgroupTotalsIT {
  private static final long SELF = ProcessHandle.current().pid();
  private static final Duration WINDOW = Duration.ofSeconds(2);

  @ParameterizedTest
  @EnumSource(SchedProbe.Variant.class)
  void totalsOfAnUnfollowedProcessMatchSchedstatOnceItLeft(SchedProbe.Variant variant)
      throws Exception {
    String cpu = Integer.toString(Runtime.getRuntime().availableProcessors() - 1);
    try (CgroupDir cg =
            CgroupDir.create(
                "aiprof-test-" + SELF + "/" + variant.name().toLowerCase() + "-totals");
        SchedProbe probe = SchedProbe.load(variant, SchedConfig.builder().build())) {
      Schedstat truth;
      try (WorkloadProcess busy = WorkloadProcess.start(cpu, Contention.class, "busy", "1");
          WorkloadProcess victims =
              WorkloadProcess.start(cpu, Contention.class, "victim", "3", "300", "200")) {
        cg.add(victims.pid());
        Map<Integer, Schedstat> before = threads(victims.pid());
        busy.send("go");
        victims.send("go");
        // A measurement window, not a synchronisation: the workload runs for this long.
        Thread.sleep(WINDOW.toMillis());
        stop(victims.pid());
        truth = sumSince(victims.pid(), before);
        busy.close();
        // Out of the cgroup while stopped: at its next switch (the kill wakes it) each thread
        // flushes what it still held to the cgroup it left, and its exit counts elsewhere.
        Files.writeString(
            cg.path().getParent().resolve("cgroup.procs"), Long.toString(victims.pid()));
      }
      assertThat(truth.runDelayNs()).as("the victims waited").isGreaterThan(WINDOW.toNanos() / 20);
      CgroupSchedStats c = awaitTotals(probe, cg.id(), truth);
      System.out.printf(
          "%s unfollowed cgroup: runqueue %.2f ms (schedstat %.2f ms), on-CPU %.2f ms"
              + " (schedstat %.2f ms), %d slices (schedstat %d)%n",
          variant,
          c.runqueueNs() / 1e6,
          truth.runDelayNs() / 1e6,
          c.onCpuNs() / 1e6,
          truth.onCpuNs() / 1e6,
          c.onCpuSlices(),
          truth.slices());
      assertThat((double) c.runqueueNs())
          .as("runqueue wait of the cgroup vs its threads' schedstat")
          .isCloseTo(truth.runDelayNs(), within(0.02 * truth.runDelayNs()));
      assertThat((double) c.onCpuNs())
          .as("on-CPU time of the cgroup vs its threads' schedstat")
          .isCloseTo(truth.onCpuNs(), within(0.02 * truth.onCpuNs()));
      assertThat(c.onCpuSlices()).isGreaterThanOrEqualTo((long) (0.95 * truth.slices()));
    }
  }

  /** Polls until the entry holds at least 95% of what schedstat saw (the batches come late). */
  private static CgroupSchedStats awaitTotals(SchedProbe probe, long id, Schedstat truth) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Optional<CgroupSchedStats> e =
          probe.cgroups().stream().filter(c -> c.cgroupId() == id).findFirst();
      if (e.isPresent()
          && e.get().runqueueNs() >= 0.95 * truth.runDelayNs()
          && e.get().onCpuNs() >= 0.95 * truth.onCpuNs()) {
        return e.get();
      }
      if (System.nanoTime() > deadline) {
        assertThat(e).as("an entry for cgroup %d", id).isPresent();
        return e.get(); // the assertions above then say by how much it falls short
      }
      Thread.onSpinWait();
    }
  }

  private static Map<Integer, Schedstat> threads(long pid) throws IOException {
    Map<Integer, Schedstat> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        int tid = Integer.parseInt(t.getFileName().toString());
        out.put(tid, Schedstat.read(pid, tid));
      }
    }
    return out;
  }

  /** The process's threads' schedstat now, less what each had at {@code before} (0 if newer). */
  private static Schedstat sumSince(long pid, Map<Integer, Schedstat> before) throws IOException {
    long on = 0;
    long runq = 0;
    long slices = 0;
    for (Map.Entry<Integer, Schedstat> e : threads(pid).entrySet()) {
      Schedstat b = before.get(e.getKey());
      Schedstat d = b == null ? e.getValue() : e.getValue().minus(b);
      on += d.onCpuNs();
      runq += d.runDelayNs();
      slices += d.slices();
    }
    return new Schedstat(on, runq, slices);
  }

  /** Stops every thread of {@code pid} (SIGSTOP) so its counters stand still, and waits for it. */
  private static void stop(long pid) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!allStopped(pid)) {
      assertThat(System.nanoTime()).as("threads of %d stopped", pid).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static boolean allStopped(long pid) throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        String stat = Files.readString(t.resolve("stat"));
        if (stat.charAt(stat.lastIndexOf(')') + 2) != 'T') {
          return false;
        }
      }
      return true;
    }
  }
}
