package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.ProcCgroups;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcCgroupsTest {
  @Test
  void hybridHostHasBothAndTheV2PathComesFirst() {
    ProcCgroups c =
        ProcCgroups.parse(
            """
            12:pids:/kubepods/burstable/pod1/abc
            9:name=systemd:/system.slice/containerd.service
            4:memory:/kubepods/burstable/pod1/abc
            3:cpu,cpuacct:/kubepods/burstable/pod1/abc
            1:cpuset:/
            0::/system.slice/containerd.service
            """);
    assertThat(c.v2Path()).contains("/system.slice/containerd.service");
    assertThat(c.v1Paths())
        .containsEntry("memory", "/kubepods/burstable/pod1/abc")
        .containsEntry("cpu", "/kubepods/burstable/pod1/abc")
        .containsEntry("cpuacct", "/kubepods/burstable/pod1/abc")
        .containsEntry("name=systemd", "/system.slice/containerd.service")
        .containsEntry("cpuset", "/");
    assertThat(c.candidates())
        .containsExactly("/system.slice/containerd.service", "/kubepods/burstable/pod1/abc");
  }

  @Test
  void pureV2Host() {
    ProcCgroups c = ProcCgroups.parse("0::/kubepods.slice/kubepods-pod1.slice/x.scope\n");
    assertThat(c.v2Path()).contains("/kubepods.slice/kubepods-pod1.slice/x.scope");
    assertThat(c.v1Paths()).isEmpty();
    assertThat(c.candidates()).containsExactly("/kubepods.slice/kubepods-pod1.slice/x.scope");
  }

  @Test
  void v1OnlyHostWithThisMachinesSandbox() {
    ProcCgroups c =
        ProcCgroups.parse(
            "9:name=systemd:/\n4:memory:/process_api/8993a983dacbdf40839535e15a6a0707\n1:cpu:/\n");
    assertThat(c.v2Path()).isEmpty();
    assertThat(c.candidates()).containsExactly("/process_api/8993a983dacbdf40839535e15a6a0707");
  }

  @Test
  void removedCgroupsLoseTheirDeletedSuffix() {
    assertThat(ProcCgroups.parse("0::/aiprof-test.slice/gone.service (deleted)").v2Path())
        .contains("/aiprof-test.slice/gone.service");
  }

  @Test
  void pathsMayContainColons() {
    assertThat(ProcCgroups.parse("0::/a:b/c\n").v2Path()).contains("/a:b/c");
  }

  @Test
  void junkLinesAreSkipped() {
    ProcCgroups c = ProcCgroups.parse("garbage\n\n4:memory\n5:cpu:relative\n0::/ok\n");
    assertThat(c).isEqualTo(new ProcCgroups(Optional.of("/ok"), Map.of()));
  }

  @Test
  void theRootSaysNothing() {
    assertThat(ProcCgroups.parse("0::/\n4:memory:/\n").candidates()).isEmpty();
  }
}
