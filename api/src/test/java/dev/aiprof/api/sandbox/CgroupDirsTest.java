package dev.aiprof.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cgroup directories and a sandbox's usage on v2-only, hybrid and v1 fixture trees. */
class CgroupDirsTest {
  @TempDir Path dir;

  private static final String POD = "/libpod_parent/libpod-" + "ab".repeat(32);

  private HostPaths paths() {
    return new HostPaths(dir.resolve("proc"), dir.resolve("sys"), dir.resolve("cgroup"));
  }

  private void write(String path, String text) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /** Pid 40 with threads 40 and 41, on CPU 100 ms + 50 ms, runqueue 7 ms + 3 ms. */
  private void process(String cgroupFile) throws IOException {
    write("proc/40/cgroup", cgroupFile);
    write("proc/40/schedstat", "100000000 7000000 12\n");
    write("proc/41/schedstat", "50000000 3000000 4\n");
  }

  @Test
  void v2OnlyHostsReadCpuStatUnderTheCgroupfsItself() throws IOException {
    write("cgroup/cgroup.controllers", "cpu memory pids\n");
    write("cgroup" + POD + "/cpu.stat", "usage_usec 151000\nuser_usec 150000\n");
    write("cgroup" + POD + "/cgroup.threads", "40\n41\n");
    process("0::" + POD + "\n");
    assertThat(CgroupDirs.v2Root(paths())).contains(dir.resolve("cgroup"));
    assertThat(SandboxUsage.of(paths(), 40))
        .contains(new SandboxUsage(POD, SandboxUsage.V2, 2, 150_000_000, 10_000_000, 151_000_000));
    assertThat(SandboxUsage.v1(paths(), 40)).isEmpty();
  }

  @Test
  void hybridHostsReadCpuStatUnderUnifiedAndCpuacctBesideIt() throws IOException {
    write("cgroup/unified/cgroup.controllers", "");
    write("cgroup/unified" + POD + "/cpu.stat", "usage_usec 152000\n");
    write("cgroup/unified" + POD + "/cgroup.threads", "40\n41\n");
    write("cgroup/cpu,cpuacct" + POD + "/cpuacct.usage", "149000000\n");
    write("cgroup/cpu,cpuacct" + POD + "/tasks", "40\n41\n");
    Files.createDirectories(dir.resolve("cgroup/memory" + POD));
    process("4:memory:" + POD + "\n2:cpu,cpuacct:" + POD + "\n0::" + POD + "\n");
    assertThat(SandboxUsage.of(paths(), 40).map(SandboxUsage::cgroupUsageNs))
        .as("v2 first")
        .contains(152_000_000L);
    assertThat(SandboxUsage.v1(paths(), 40))
        .contains(new SandboxUsage(POD, SandboxUsage.V1, 2, 150_000_000, 10_000_000, 149_000_000));
    assertThat(CgroupDirs.v1(paths(), "memory", POD)).contains(dir.resolve("cgroup/memory" + POD));
  }

  @Test
  void aProcessInTheV2RootIsMeasuredByItsV1Cgroup() throws IOException {
    write("cgroup/unified/cgroup.controllers", "");
    write("cgroup/unified/cpu.stat", "usage_usec 99999999\n");
    write("cgroup/cpuacct" + POD + "/cpuacct.usage", "149000000\n");
    write("cgroup/cpuacct" + POD + "/tasks", "40\n41\n42\n");
    process("2:cpuacct:" + POD + "\n1:cpu:" + POD + "\n0::/\n");
    assertThat(SandboxUsage.v2(paths(), 40)).as("the root is the whole host").isEmpty();
    SandboxUsage u = SandboxUsage.of(paths(), 40).orElseThrow();
    assertThat(u.accounting()).isEqualTo(SandboxUsage.V1);
    assertThat(u.threads()).as("42 exited between the list and the read").isEqualTo(2);
    assertThat(u.cgroupUsageNs()).isEqualTo(149_000_000L);
  }

  @Test
  void nothingWhereTheCgroupIsGone() throws IOException {
    write("cgroup/unified/cgroup.controllers", "");
    process("2:cpuacct:" + POD + "\n0::" + POD + "\n");
    assertThat(SandboxUsage.of(paths(), 40)).isEmpty();
    assertThat(SandboxUsage.of(paths(), 99)).isEmpty();
    assertThat(CgroupDirs.v2(paths(), POD)).isEmpty();
  }
}
