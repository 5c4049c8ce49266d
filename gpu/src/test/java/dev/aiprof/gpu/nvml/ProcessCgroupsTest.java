package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCgroupsTest {
  @Test
  void readsTheV2AndTheV1MemoryPaths() {
    ProcessCgroups.Paths p =
        ProcessCgroups.parse(
            "12:pids:/kubepods/pod1\n"
                + "4:cpu,memory:/kubepods/besteffort/pod1/abc\n"
                + "0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-abc.scope\n");
    assertThat(p.v2()).isEqualTo("/kubepods.slice/kubepods-pod1.slice/cri-containerd-abc.scope");
    assertThat(p.v1Memory()).isEqualTo("/kubepods/besteffort/pod1/abc");
    assertThat(ProcessCgroups.parse("garbage\n")).isEqualTo(new ProcessCgroups.Paths(null, null));
  }

  @Test
  void theIdsAreTheDirectoriesInodes(@TempDir Path tmp) throws Exception {
    Path proc = Files.createDirectories(tmp.resolve("proc/42"));
    Files.writeString(proc.resolve("cgroup"), "0::/pod.slice/app.scope\n5:memory:/pod/app\n");
    Path cg = tmp.resolve("cgroup");
    Files.createDirectories(cg.resolve("unified/pod.slice/app.scope"));
    Files.createFile(cg.resolve("unified/cgroup.controllers"));
    Files.createDirectories(cg.resolve("memory/pod/app"));
    ProcessCgroups c = new ProcessCgroups(new HostPaths(tmp.resolve("proc"), tmp, cg));
    ProcessCgroups.Ids ids = c.of(42);
    assertThat(ids.v2())
        .isEqualTo(Files.getAttribute(cg.resolve("unified/pod.slice/app.scope"), "unix:ino"));
    assertThat(ids.v1()).isEqualTo(Files.getAttribute(cg.resolve("memory/pod/app"), "unix:ino"));
    assertThat(c.of(43)).isEqualTo(new ProcessCgroups.Ids(0, 0));
  }
}
