package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real-world cgroup path forms, and junk, against what they must be read as. */
class CgroupPathsTest {
  static final String ID = "06ea17a8981d25b0315ff17bd1ebad3d95c15a3f8b764eaadb93612d9b61a54e";
  static final String ID2 = "df1caaf821e62865c14a46bb6c74683a3285a03c213ee29fbf599957d12bc7a2";
  static final String UID = "3f6c2a7e-1b4d-4c8e-9a2f-5d7e8b9c0a1b";
  static final String UID_ = UID.replace('-', '_');
  static final String STATIC_UID = "a6d2b0f7c1e94b3c8d5e7f9a0b1c2d3e";

  static CgroupOwner container(String runtime, String podUid) {
    return new CgroupOwner.Container(ID, Optional.ofNullable(runtime), Optional.ofNullable(podUid));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // containerd, systemd cgroup driver, each QoS class
        Arguments.of(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + UID_
                + ".slice/cri-containerd-"
                + ID
                + ".scope",
            container("containerd", UID)),
        Arguments.of(
            "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                + UID_
                + ".slice/cri-containerd-"
                + ID
                + ".scope",
            container("containerd", UID)),
        Arguments.of(
            "/kubepods.slice/kubepods-pod" + UID_ + ".slice/cri-containerd-" + ID + ".scope",
            container("containerd", UID)),
        // a static pod: its uid is the config hash, 32 hex digits
        Arguments.of(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + STATIC_UID
                + ".slice/cri-containerd-"
                + ID
                + ".scope",
            container("containerd", STATIC_UID)),
        // cgroupfs driver: bare ids, runtime unknown from the path
        Arguments.of("/kubepods/burstable/pod" + UID + "/" + ID, container(null, UID)),
        Arguments.of("/kubepods/besteffort/pod" + UID + "/" + ID, container(null, UID)),
        Arguments.of("/kubepods/pod" + UID + "/" + ID, container(null, UID)),
        // CRI-O, both drivers; conmon is the monitor, not the container
        Arguments.of(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + UID_
                + ".slice/crio-"
                + ID
                + ".scope",
            container("cri-o", UID)),
        Arguments.of("/kubepods/burstable/pod" + UID + "/crio-" + ID, container("cri-o", UID)),
        Arguments.of(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + UID_
                + ".slice/crio-conmon-"
                + ID
                + ".scope",
            new CgroupOwner.Pod(UID)),
        // dockershim-era Kubernetes, and Docker and Podman alone
        Arguments.of(
            "/kubepods.slice/kubepods-pod" + UID_ + ".slice/docker-" + ID + ".scope",
            container("docker", UID)),
        Arguments.of("/docker/" + ID, container("docker", null)),
        Arguments.of("/system.slice/docker-" + ID + ".scope", container("docker", null)),
        Arguments.of("/machine.slice/libpod-" + ID + ".scope", container("podman", null)),
        Arguments.of(
            "/machine.slice/libpod-conmon-" + ID + ".scope",
            new CgroupOwner.SystemdUnit("libpod-conmon-" + ID + ".scope")),
        // kind: a pod inside a node container; the innermost container wins
        Arguments.of(
            "/system.slice/docker-"
                + ID2
                + ".scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice"
                + "/kubelet-kubepods-besteffort-pod"
                + UID_
                + ".slice/cri-containerd-"
                + ID
                + ".scope",
            container("containerd", UID)),
        // systemd-in-container: the container wins over the unit inside it
        Arguments.of(
            "/system.slice/docker-" + ID + ".scope/system.slice/nginx.service",
            container("docker", null)),
        // a pod's own slice (no container)
        Arguments.of(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_ + ".slice",
            new CgroupOwner.Pod(UID)),
        // systemd units outside containers
        Arguments.of("/system.slice/nginx.service", new CgroupOwner.SystemdUnit("nginx.service")),
        Arguments.of(
            "/user.slice/user-0.slice/session-3.scope",
            new CgroupOwner.SystemdUnit("session-3.scope")),
        Arguments.of(
            "/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-4242.scope",
            new CgroupOwner.SystemdUnit("app-firefox-4242.scope")),
        Arguments.of(
            "/system.slice/containerd.service/sub",
            new CgroupOwner.SystemdUnit("containerd.service")),
        Arguments.of("/init.scope", new CgroupOwner.SystemdUnit("init.scope")),
        // nothing to say
        Arguments.of("/", new CgroupOwner.Unknown()),
        Arguments.of("", new CgroupOwner.Unknown()),
        Arguments.of("/system.slice", new CgroupOwner.Unknown()),
        Arguments.of("/process_api/8993a983dacbdf40839535e15a6a0707", new CgroupOwner.Unknown()),
        Arguments.of(
            "/kubepods/burstable/podnot-a-uid/" + ID.substring(1), new CgroupOwner.Unknown()),
        Arguments.of("/docker/" + ID.toUpperCase(), new CgroupOwner.Unknown()),
        // a malformed id is no container, but still a scope
        Arguments.of(
            "/cri-containerd-" + ID + "x.scope",
            new CgroupOwner.SystemdUnit("cri-containerd-" + ID + "x.scope")),
        Arguments.of("garbage", new CgroupOwner.Unknown()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void readsTheOwnerOutOfThePath(String path, CgroupOwner expected) {
    assertThat(CgroupPaths.owner(path)).isEqualTo(expected);
  }

  @Test
  void podUidsFromSystemdSlicesGetTheirDashesBack() {
    assertThat(CgroupPaths.podUid(UID_)).isEqualTo(UID);
    assertThat(CgroupPaths.podUid(STATIC_UID)).isEqualTo(STATIC_UID);
  }
}
