package dev.aiprof.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The recorded process trees and cgroup paths under {@code src/test/resources/sandbox}. */
class SandboxesTest {

  static HostPaths fixture(String name) {
    try {
      Path root = Path.of(SandboxesTest.class.getResource("/sandbox/" + name).toURI());
      return new HostPaths(root.resolve("proc"), root.resolve("sys"), root.resolve("cgroup"));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Optional<Sandbox> of(String fixture, int pid) {
    return ProcTree.sandboxOf(fixture(fixture), pid);
  }

  @Test
  void gvisorSentryAndGoferRecordedHere() {
    assertThat(of("gvisor-podman", 10868))
        .contains(new Sandbox(Sandbox.Kind.GVISOR, "sandbox", Optional.empty()));
    assertThat(of("gvisor-podman", 10865))
        .contains(new Sandbox(Sandbox.Kind.GVISOR, "gofer", Optional.empty()));
    assertThat(of("gvisor-podman", 10859)).as("conmon is the monitor, not the sandbox").isEmpty();
  }

  @Test
  void chainStopsAtInit() {
    assertThat(ProcTree.chain(fixture("gvisor-podman"), 10868))
        .extracting(ProcNode::pid)
        .containsExactly(10868, 10859, 1);
    assertThat(ProcTree.chain(fixture("gvisor-podman"), 4242)).isEmpty();
  }

  @Test
  void kataQemuVmmShimAndVirtiofsd() {
    assertThat(of("kata-qemu-k8s", 4180))
        .contains(new Sandbox(Sandbox.Kind.KATA, "vmm", Optional.of("qemu")));
    assertThat(of("kata-qemu-k8s", 4100))
        .contains(new Sandbox(Sandbox.Kind.KATA, "shim", Optional.empty()));
    assertThat(of("kata-qemu-k8s", 4170))
        .contains(new Sandbox(Sandbox.Kind.KATA, "helper", Optional.empty()));
  }

  @Test
  void runcPodInTheSameTreeIsNotASandbox() {
    assertThat(of("kata-qemu-k8s", 2250)).isEmpty();
    assertThat(of("kata-qemu-k8s", 2200)).isEmpty();
    assertThat(of("kata-qemu-k8s", 2100)).isEmpty();
  }

  @Test
  void kataByOverheadCgroupWhenTheShimIsNotAnAncestor() {
    assertThat(of("kata-clh-overhead", 6310))
        .contains(new Sandbox(Sandbox.Kind.KATA, "vmm", Optional.of("cloud-hypervisor")));
  }

  @Test
  void firecrackerJailedAndUnderFirecrackerContainerd() {
    assertThat(of("firecracker-jailer", 5200))
        .contains(new Sandbox(Sandbox.Kind.FIRECRACKER, "vmm", Optional.of("firecracker")));
    assertThat(of("firecracker-jailer", 5300))
        .contains(new Sandbox(Sandbox.Kind.FIRECRACKER, "vmm", Optional.of("firecracker")));
    assertThat(of("firecracker-jailer", 5290))
        .contains(new Sandbox(Sandbox.Kind.FIRECRACKER, "shim", Optional.of("firecracker")));
  }

  @Test
  void firecrackerCgroupAloneIsEnough() {
    ProcNode unknown = new ProcNode(7, 1, "fc_vcpu 0", List.of());
    assertThat(Sandboxes.recognise(List.of(unknown), List.of("/firecracker/abc")))
        .contains(new Sandbox(Sandbox.Kind.FIRECRACKER, "cgroup", Optional.of("firecracker")));
    assertThat(Sandboxes.recognise(List.of(unknown), List.of("/system.slice/firecrackers")))
        .isEmpty();
  }

  @Test
  void olderRunscKeepsItsNameAndSaysTheSubcommand() {
    ProcNode boot =
        ProcNode.parse("9 (exe) S 8 9 9 0", "runsc\0--root=/run/runsc\0boot\0--bundle=/b\0");
    assertThat(Sandboxes.recognise(List.of(boot), List.of()))
        .contains(new Sandbox(Sandbox.Kind.GVISOR, "sandbox", Optional.empty()));
    ProcNode other = ProcNode.parse("9 (runsc) S 8 9 9 0", "runsc\0--root=/r\0list\0");
    assertThat(Sandboxes.recognise(List.of(other), List.of())).isEmpty();
  }

  @Test
  void attributesSayRuntimeAndThatSchedIsNotObservable() {
    var a = new Sandbox(Sandbox.Kind.KATA, "vmm", Optional.of("qemu")).attributes();
    assertThat(a.get(Sandbox.SANDBOX)).isEqualTo("kata");
    assertThat(a.get(Sandbox.CONTAINER_RUNTIME)).isEqualTo("kata");
    assertThat(a.get(Sandbox.VMM)).isEqualTo("qemu");
    assertThat(a.get(Sandbox.SCHED_OBSERVABLE)).isFalse();
    assertThat(a.get(Sandbox.SCHED_REASON)).contains("vCPU");
  }

  @Test
  void commWithParensAndSpaces() {
    ProcNode n = ProcNode.parse("12 (a) b (c) S 3 12 12 0", "");
    assertThat(n.comm()).isEqualTo("a) b (c");
    assertThat(n.ppid()).isEqualTo(3);
    assertThat(n.program()).isEqualTo("a) b (c");
  }

  @Test
  void directoryFindsTheVmmByPodUidAndTheSentryByContainerId() {
    SandboxDirectory kata = new SandboxDirectory(fixture("kata-qemu-k8s"), () -> 0L);
    assertThat(kata.find(null, "7c1e2f0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"))
        .contains(
            new SandboxDirectory.Match(
                4180, new Sandbox(Sandbox.Kind.KATA, "vmm", Optional.of("qemu")), "k8s.pod.uid"));
    assertThat(kata.find(null, "0a1b2c3d-0000-4000-8000-000000000001")).as("a runc pod").isEmpty();
    SandboxDirectory gvisor = new SandboxDirectory(fixture("gvisor-podman"), () -> 0L);
    assertThat(
            gvisor.find(
                "27e24118d1d89aac1b41f79eb1fd4b2b33284c39f70db2338992172835635127", "unrelated"))
        .map(SandboxDirectory.Match::hostPid)
        .contains(10868);
    assertThat(SandboxDirectory.scan(fixture("firecracker-jailer")))
        .extracting(SandboxDirectory.Entry::hostPid)
        .containsExactlyInAnyOrder(5200, 5300);
  }

  @Test
  void aMissRescansAtMostOncePerSecond() {
    long[] now = {0};
    SandboxDirectory d = new SandboxDirectory(fixture("gvisor-podman"), () -> now[0]);
    assertThat(d.find("00".repeat(32), null)).isEmpty();
    now[0] = 10;
    assertThat(d.find("00".repeat(32), null)).isEmpty();
    assertThat(d.find(null, null)).isEmpty();
  }

  @Test
  void cgroupPathsNameContainerAndPod() {
    assertThat(SandboxDirectory.containerId("/libpod_parent/libpod-" + "a1".repeat(32)))
        .contains("a1".repeat(32));
    assertThat(
            SandboxDirectory.containerId(
                "/system.slice/cri-containerd-" + "b2".repeat(32) + ".scope"))
        .contains("b2".repeat(32));
    assertThat(
            SandboxDirectory.podUid(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7c1e2f0a_3b4d_4e5f_8a9b_0c1d2e3f4a5b.slice/x"))
        .contains("7c1e2f0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    assertThat(SandboxDirectory.podUid("/system.slice/podman.service")).isEmpty();
  }

  @Test
  void usageParsesCpuStatAndSchedstat() {
    assertThat(SandboxUsage.usageUsec("usage_usec 1234\nuser_usec 1000\nsystem_usec 234\n"))
        .isEqualTo(1234);
    assertThat(SandboxUsage.usageUsec("nr_periods 0\n")).isEqualTo(-1);
    assertThat(SandboxUsage.schedstat("301700000 736600000 5120\n"))
        .containsExactly(301_700_000L, 736_600_000L);
  }
}
