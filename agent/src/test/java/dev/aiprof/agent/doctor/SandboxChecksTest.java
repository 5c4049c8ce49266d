package dev.aiprof.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.api.sandbox.SandboxDirectory;
import dev.aiprof.api.sandbox.SandboxUsage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxChecksTest {
  @Test
  void aSandboxsLineSaysWhatIsMeasuredHowSpansMatchAndWhatIsNotObservable() {
    String id = "18a8b1dd142f" + "0".repeat(52);
    SandboxDirectory.Entry e =
        new SandboxDirectory.Entry(
            2624,
            new Sandbox(Sandbox.Kind.GVISOR, "sandbox", Optional.empty()),
            Optional.of(id),
            Optional.empty());
    SandboxUsage u =
        new SandboxUsage(
            "/libpod_parent/libpod-" + id,
            SandboxUsage.V2,
            47,
            13_300_000_000L,
            49_300_000_000L,
            13_400_000_000L);

    String line = SandboxChecks.line(e, Optional.of(u));

    assertThat(line)
        .startsWith("pid 2624 container 18a8b1dd142f (47 host threads, on-CPU 13.3 s")
        .contains("cgroup v2 cpu.stat 13.4 s")
        .contains(SandboxChecks.OBSERVABLE)
        .contains("spans matched by container.id, k8s.pod.uid or the connection's origin")
        .contains("not observable: per-thread and per-phase scheduler figures (gVisor:");
    assertThat(SandboxChecks.line(e, Optional.empty())).doesNotContain("on-CPU");
    assertThat(SandboxChecks.line(e, Optional.empty(), Optional.of(true)))
        .contains(
            "never by pid (the host's network namespace: by the socket its host process holds)");
    assertThat(SandboxChecks.line(e, Optional.empty(), Optional.of(false)))
        .contains("(its own network namespace: by its address there)");
  }
}
