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
}
