package dev.aiprof.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The container image, built daemonless by {@code src/image/build-image.sh} from the tarball, run
 * with podman the way a DaemonSet runs it: host PID namespace, read-only root, every capability
 * dropped but the named ones (never privileged), the host's /proc and /sys mounted read-only and
 * passed as --procfs/--sysfs/--cgroupfs. runc, not crun (crun refuses this machine's hybrid
 * cgroups); rlimits lowered explicitly (CAP_SYS_RESOURCE is not in this machine's set).
 */
@Requires(
    root = true,
    tools = {"podman", "runc", "dpkg"},
    files = "/sys/kernel/btf/vmlinux")
class ImageIT {
  /**
   * What the DaemonSet grants (CAP_SYS_RESOURCE aside, not in this machine's set); seccomp
   * unconfined as a pod's default (podman's blocks bpf).
   */
  static final List<String> DAEMONSET =
      List.of(
          "--pid=host",
          "--read-only",
          "--network=none",
          "--cap-drop=all",
          "--cap-add=CAP_BPF,CAP_PERFMON,CAP_SYS_ADMIN,CAP_SYS_PTRACE,CAP_DAC_READ_SEARCH",
          "--security-opt=seccomp=unconfined",
          "--ulimit=nofile=1024:1024",
          "--ulimit=nproc=1024:1024",
          "-v=/proc:/host/proc:ro",
          "-v=/sys:/host/sys:ro",
          "-v=/sys/kernel/tracing:/sys/kernel/tracing:ro");

  private final String tag = "it-" + ProcessHandle.current().pid();
  private String image;

  @AfterEach
  void removeImage() {
    if (image != null) {
      Cmd.run(List.of("podman", "rmi", "-f", image));
    }
  }

  @Test
  void doctorInTheImageSeesTheHostWithTheDaemonSetsCapabilities() {
    String script = Dist.repo().resolve("deploy/src/image/build-image.sh").toString();
    image =
        Cmd.run(
                List.of("bash", script, Dist.tarball().toString(), Dist.target().toString(), tag),
                Map.of(),
                Duration.ofSeconds(180))
            .ok()
            .strip();
    assertThat(image).isEqualTo("localhost/aiprof:" + tag);
    assertThat(Dist.target().resolve("aiprof-image.tar")).isNotEmptyFile();

    List<String> run = new ArrayList<>(List.of("podman", "--runtime", "runc", "run", "--rm"));
    run.addAll(DAEMONSET);
    run.addAll(
        List.of(
            image,
            "doctor",
            "--procfs=/host/proc",
            "--sysfs=/host/sys",
            "--cgroupfs=/host/sys/fs/cgroup"));
    String doctor = Cmd.run(run, Map.of(), Duration.ofSeconds(90)).ok();
    assertThat(doctor)
        .containsPattern("privileges +ok .*CAP_PERFMON.*\n")
        .containsPattern("privileges +ok .*CAP_BPF.*\n")
        .containsPattern("btf +ok +/host/sys/kernel/btf/vmlinux")
        .containsPattern("ringbuf +ok")
        .containsPattern("sched probe +ok")
        .containsPattern("uprobe +ok")
        .contains("aiprof can run on this host.")
        .doesNotContain("missing, CAP_SYS_ADMIN");
  }
}
