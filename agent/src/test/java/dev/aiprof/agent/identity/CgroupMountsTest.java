package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CgroupMountsTest {
  @Test
  void hybridHostHasBoth() {
    CgroupMounts m =
        CgroupMounts.parse(
            List.of(
                "25 21 0:22 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755",
                "30 25 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw",
                "33 25 0:30 / /sys/fs/cgroup/cpu rw shared:14 - cgroup cgroup rw,cpu",
                "34 25 0:31 / /sys/fs/cgroup/memory rw shared:15 - cgroup cgroup rw,memory"));
    assertThat(m.v2()).contains(Path.of("/sys/fs/cgroup/unified"));
    assertThat(m.v1Memory()).contains(Path.of("/sys/fs/cgroup/memory"));
    assertThat(m.layout()).isEqualTo("hybrid");
  }

  @Test
  void pureV2Host() {
    CgroupMounts m =
        CgroupMounts.parse(
            List.of(
                "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev shared:9 - cgroup2 cgroup2 rw,nsdelegate"));
    assertThat(m.v2()).contains(Path.of("/sys/fs/cgroup"));
    assertThat(m.v1Memory()).isEmpty();
    assertThat(m.layout()).isEqualTo("v2");
  }

  @Test
  void v1HostWithCombinedControllersAndEscapedPaths() {
    CgroupMounts m =
        CgroupMounts.parse(
            List.of(
                "40 25 0:35 / /host\\040root/cgroup/memory rw - cgroup cgroup rw,memory,hugetlb",
                "41 25 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd",
                "garbage line"));
    assertThat(m.v1Memory()).isEqualTo(Optional.of(Path.of("/host root/cgroup/memory")));
    assertThat(m.layout()).isEqualTo("v1");
  }

  @Test
  void noCgroups() {
    assertThat(CgroupMounts.parse(List.of()).layout()).isEqualTo("none");
  }
}
