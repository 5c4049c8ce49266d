package dev.aiprof.bpf.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.Contention;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.WorkloadProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Entries of cgroups that are gone can be deleted from {@code cgroup_stats}, one by one. */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class CgroupRemovalIT {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void theEntryOfARemovedCgroupIsDeletedAndTheOthersStay() {
    try (SchedProbe probe =
        SchedProbe.load(new FeatureProber().probe(), SchedConfig.builder().build())) {
      CgroupSchedStats seen;
      Path dir;
      try (CgroupDir cg = CgroupDir.create("aiprof-test-" + SELF + "/gone");
          WorkloadProcess w =
              WorkloadProcess.start(null, Contention.class, "victim", "1", "1000", "200")) {
        dir = cg.path();
        cg.add(w.pid());
        w.send("go");
        seen = awaitEntry(probe, cg.id());
        assertThat(seen.onCpuSlices()).isPositive();
      } // kills the workload, then removes the cgroup
      assertThat(Files.exists(dir)).as("cgroup removed").isFalse();
      int before = probe.cgroups().size();

      assertThat(probe.removeCgroup(seen.cgroupId(), seen.cgroupV1Id())).isTrue();
      assertThat(entry(probe, seen.cgroupId())).as("entry after removal").isEmpty();
      assertThat(probe.removeCgroup(seen.cgroupId(), seen.cgroupV1Id()))
          .as("removing it again")
          .isFalse();
      assertThat(probe.cgroups().size())
          .as("the other cgroups' entries")
          .isGreaterThanOrEqualTo(before - 1)
          .isPositive();
    }
  }

  private static CgroupSchedStats awaitEntry(SchedProbe probe, long id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Optional<CgroupSchedStats> e = entry(probe, id);
      if (e.isPresent() && e.get().onCpuSlices() > 0) {
        return e.get();
      }
      assertThat(System.nanoTime()).as("an entry for cgroup %d", id).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static Optional<CgroupSchedStats> entry(SchedProbe probe, long id) {
    return probe.cgroups().stream().filter(c -> c.cgroupId() == id).findFirst();
  }
}
