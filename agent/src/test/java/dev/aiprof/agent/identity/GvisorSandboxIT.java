package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.ProcCgroups;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.sandbox.CgroupDirs;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.api.sandbox.SandboxLookup;
import dev.aiprof.api.sandbox.SandboxUsage;
import dev.aiprof.collectors.sched.SchedSignal;
import dev.aiprof.collectors.sched.TimelineStore;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.RunscContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gVisor container (podman with runsc, a busybox busy loop, no network): identity recognises
 * it, the host's per-thread accounting of the sandbox's threads adds up to its cgroup's CPU
 * accounting, and scheduler figures for its threads are marked not observable.
 */
@Requires(
    root = true,
    tools = {"podman", "runsc", "busybox"})
class GvisorSandboxIT {
  private static final long MS = 1_000_000L;

  @TempDir Path dir;

  /**
   * Podman's cgroupfs manager on a hybrid host (this one) makes v1 cgroups only and leaves the
   * sandbox in the v2 root; runsc's own v2 mode cannot run here (it needs the cpu, cpuset, io,
   * memory and pids controllers, which the v1 hierarchies hold). So the test moves the sandbox's
   * processes (those of its v1 cpuacct cgroup: the Sentry and the gofer) into a v2 cgroup of its
   * own, named after the container; its cpu.stat then counts exactly what the v1 cgroup counts.
   */
  private static Path intoOwnV2Cgroup(HostPaths paths, RunscContainer c, Path v2Root)
      throws IOException {
    String v1 = ProcCgroups.read(paths, c.pid()).orElseThrow().v1Paths().get("cpuacct");
    assertThat(v1).as("on a hybrid host the sandbox has a v1 cpuacct cgroup").isNotNull();
    Path procs = CgroupDirs.v1(paths, "cpuacct", v1).orElseThrow().resolve("cgroup.procs");
    Path own = v2Root.resolve(c.name());
    Files.createDirectory(own);
    List<String> pids = Files.readAllLines(procs);
    for (String pid : pids) {
      Files.writeString(own.resolve("cgroup.procs"), pid.strip());
    }
    System.out.println(
        "podman left gVisor sandbox "
            + c.name()
            + " in the cgroup v2 root (v1 cgroup "
            + v1
            + "): moved its "
            + pids.size()
            + " processes to v2 cgroup "
            + own);
    return own;
  }

  private static void removeWhenEmpty(Path cgroup) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 10_000 * MS;
    while (!Files.readString(cgroup.resolve("cgroup.procs")).isBlank()
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Files.delete(cgroup);
  }

  /** The sandbox's threads' schedstat against its v2 cgroup, and against v1 where there is one. */
  private static void compare(HostPaths paths, RunscContainer c) {
    SandboxUsage before = SandboxUsage.v2(paths, c.pid()).orElseThrow();
    Optional<SandboxUsage> v1Before = SandboxUsage.v1(paths, c.pid());
    SandboxUsage after = before;
    long deadline = System.nanoTime() + 10_000 * MS;
    while (after.cgroupUsageNs() - before.cgroupUsageNs() < 300 * MS
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      after = SandboxUsage.v2(paths, c.pid()).orElseThrow();
    }
    Optional<SandboxUsage> v1After = SandboxUsage.v1(paths, c.pid());
    long cgroupNs = after.cgroupUsageNs() - before.cgroupUsageNs();
    long threadsNs = after.onCpuNs() - before.onCpuNs();
    System.out.printf(
        "gVisor sandbox %s: %d host threads, on-CPU %.1f ms (schedstat) vs %.1f ms (%s),"
            + " runqueue %.1f ms%n",
        after.cgroup(),
        after.threads(),
        threadsNs / 1e6,
        cgroupNs / 1e6,
        after.accounting(),
        (after.runqueueNs() - before.runqueueNs()) / 1e6);
    assertThat(after.accounting()).isEqualTo(SandboxUsage.V2);
    assertThat(SandboxUsage.of(paths, c.pid()).orElseThrow().accounting())
        .as("v2 first")
        .isEqualTo(SandboxUsage.V2);
    assertThat(cgroupNs).isGreaterThanOrEqualTo(300 * MS);
    assertThat((double) threadsNs).isBetween(cgroupNs * 0.9, cgroupNs * 1.1);
    if (v1Before.isPresent()) {
      long v1Ns = v1After.orElseThrow().cgroupUsageNs() - v1Before.get().cgroupUsageNs();
      System.out.printf(
          "  the same window in %s %s: %.1f ms%n",
          SandboxUsage.V1, v1Before.get().cgroup(), v1Ns / 1e6);
      assertThat((double) v1Ns).isBetween(cgroupNs * 0.9, cgroupNs * 1.1);
    }
  }

  @Test
  void aGvisorContainerIsRecognisedMeasuredAsAWholeAndNotPerThread() throws Exception {
    HostPaths paths = HostPaths.defaults();
    Path[] own = {null};
    try {
      recognisedAndMeasured(paths, own);
    } finally {
      if (own[0] != null) {
        removeWhenEmpty(own[0]); // the container is gone: the cgroup empties
      }
    }
  }

  private void recognisedAndMeasured(HostPaths paths, Path[] own) throws Exception {
    try (RunscContainer c = RunscContainer.start(dir, "while :; do :; done")) {
      IdentityConfig cfg = IdentityConfig.builder().source(IdentityConfig.Source.NONE).build();
      try (WorkloadResolver r =
          WorkloadResolver.create(cfg, paths, CgroupMounts.read(paths.proc("self", "mountinfo")))) {
        Workload w = r.resolve(c.pid());
        System.out.println("gVisor sandbox pid " + c.pid() + ": " + w.attributes());
        assertThat(w.kind()).isEqualTo(Workload.Kind.CONTAINER);
        assertThat(w.attributes().get(WorkloadKeys.CONTAINER_ID)).isEqualTo(c.id());
        assertThat(w.attributes().get(Sandbox.SANDBOX)).isEqualTo("gvisor");
        assertThat(w.attributes().get(WorkloadKeys.CONTAINER_RUNTIME)).isEqualTo("runsc");
        assertThat(w.attributes().get(Sandbox.ROLE)).isEqualTo("sandbox");
        assertThat(w.attributes().get(Sandbox.SCHED_OBSERVABLE)).isFalse();
      }

      // The host's view: every host thread of the sandbox's cgroup, against the cgroup's own
      // accounting (cgroup v2 cpu.stat usage_usec, and v1 cpuacct.usage where the host has v1),
      // over a window in which the guest's busy loop burns at least 300 ms.
      Optional<Path> v2Root = CgroupDirs.v2Root(paths);
      assertThat(v2Root).as("a cgroup v2 hierarchy (a v2-only or hybrid host)").isPresent();
      if (SandboxUsage.v2(paths, c.pid()).isEmpty()) {
        own[0] = intoOwnV2Cgroup(paths, c, v2Root.get());
      }
      compare(paths, c);

      // A scheduler figure for one of the Sentry's threads would be the Sentry's: not observable.
      SchedSignal signal =
          new SchedSignal(
              new TimelineStore(60_000 * MS, 64, 64, 1L << 20),
              tid -> Optional.empty(),
              () -> Long.MAX_VALUE / 2,
              MS,
              8,
              new SandboxLookup(paths)::of);
      long now = System.nanoTime();
      PhaseDescription thread = new PhaseDescription();
      signal.describe(
          new Phase(
              "step", PhaseOrigin.MARKER, c.pid(), c.pid(), now - 100 * MS, now, 0, null, null),
          thread);
      assertThat(thread.attributes().get(Sandbox.SCHED_OBSERVABLE)).isFalse();
      assertThat(thread.attributes().get(SchedSignal.ON_CPU)).isNull();
      PhaseDescription agents = new PhaseDescription();
      int self = (int) ProcessHandle.current().pid();
      signal.describe(
          new Phase("step", PhaseOrigin.MARKER, self, self, now - 100 * MS, now, 0, null, null),
          agents);
      assertThat(agents.attributes().get(Sandbox.SCHED_OBSERVABLE)).isNull();
    }
  }
}
