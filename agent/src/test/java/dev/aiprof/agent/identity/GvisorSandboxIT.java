package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.api.sandbox.SandboxLookup;
import dev.aiprof.api.sandbox.SandboxUsage;
import dev.aiprof.collectors.sched.SchedSignal;
import dev.aiprof.collectors.sched.TimelineStore;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.RunscContainer;
import java.nio.file.Path;
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

  @Test
  void aGvisorContainerIsRecognisedMeasuredAsAWholeAndNotPerThread() throws Exception {
    HostPaths paths = HostPaths.defaults();
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
      // accounting, over a window in which the guest's busy loop burns at least 300 ms.
      SandboxUsage before = SandboxUsage.of(paths, c.pid()).orElseThrow();
      SandboxUsage after = before;
      long deadline = System.nanoTime() + 10_000 * MS;
      while (after.cgroupUsageNs() - before.cgroupUsageNs() < 300 * MS
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        after = SandboxUsage.of(paths, c.pid()).orElseThrow();
      }
      long cgroupNs = after.cgroupUsageNs() - before.cgroupUsageNs();
      long threadsNs = after.onCpuNs() - before.onCpuNs();
      System.out.printf(
          "gVisor sandbox %s: %d host threads, on-CPU %.1f ms (schedstat) vs cgroup %.1f ms,"
              + " runqueue %.1f ms%n",
          after.cgroup(),
          after.threads(),
          threadsNs / 1e6,
          cgroupNs / 1e6,
          (after.runqueueNs() - before.runqueueNs()) / 1e6);
      assertThat(cgroupNs).isGreaterThanOrEqualTo(300 * MS);
      assertThat((double) threadsNs).isBetween(cgroupNs * 0.9, cgroupNs * 1.1);

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
      PhaseDescription own = new PhaseDescription();
      int self = (int) ProcessHandle.current().pid();
      signal.describe(
          new Phase("step", PhaseOrigin.MARKER, self, self, now - 100 * MS, now, 0, null, null),
          own);
      assertThat(own.attributes().get(Sandbox.SCHED_OBSERVABLE)).isNull();
    }
  }
}
