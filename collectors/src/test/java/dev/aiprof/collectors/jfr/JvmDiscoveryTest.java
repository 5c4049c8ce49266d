package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery on a fixture /proc: one host namespace and two container-like ones. */
class JvmDiscoveryTest {
  @TempDir Path proc;

  @Test
  void findsJvmsByPerfDataFileAcrossMountAndPidNamespaces() throws IOException {
    Files.createSymbolicLink(proc.resolve("self"), Path.of("100"));
    process(100, 1, 100); // the agent itself: never reported
    process(200, 1, 200); // a JVM on the host
    process(300, 1, 300); // not a JVM
    process(400, 2, 1); // a JVM in a container (pid 1 inside)
    process(500, 2, 7); // another process of that container
    process(600, 3, 1); // a container without JVMs
    perfData(1, "root", 100);
    perfData(1, "root", 200);
    perfData(2, "app", 1);
    perfData(2, "app", 99); // a JVM that exited and left its file
    Files.createDirectories(proc.resolve("fs3/tmp"));

    JvmDiscovery d = new JvmDiscovery(new HostPaths(proc, Path.of("/sys"), Path.of("/sys")));
    assertThat(d.scan(Set.of())).containsExactly(200, 400);
    assertThat(d.scan(Set.of(200))).containsExactly(400);
  }

  @Test
  void perfDataPidsIgnoresOtherFiles() throws IOException {
    Path tmp = proc.resolve("tmp");
    Files.createDirectories(tmp.resolve("hsperfdata_a"));
    Files.createFile(tmp.resolve("hsperfdata_a/42"));
    Files.createFile(tmp.resolve("hsperfdata_a/not-a-pid"));
    Files.createDirectories(tmp.resolve("other"));
    Files.createFile(tmp.resolve("other/43"));
    assertThat(JvmDiscovery.perfDataPids(tmp)).containsExactly(42);
    assertThat(JvmDiscovery.perfDataPids(proc.resolve("missing"))).isEmpty();
  }

  /** A fixture process: its namespaces (by number) and its pid inside them. */
  private void process(int pid, int ns, int nsPid) throws IOException {
    Path dir = proc.resolve(Integer.toString(pid));
    Files.createDirectories(dir.resolve("ns"));
    Files.createSymbolicLink(dir.resolve("ns/mnt"), Path.of("mnt:[" + ns + "]"));
    Files.createSymbolicLink(dir.resolve("ns/pid"), Path.of("pid:[" + ns + "]"));
    String nsPids = ns == 1 ? "" : "\t" + nsPid;
    Files.writeString(dir.resolve("status"), "Name:\tx\nNSpid:\t" + pid + nsPids + "\n");
    Files.createSymbolicLink(dir.resolve("root"), Path.of("../fs" + ns)); // one root per mount ns
  }

  /** A perf-data file in mount namespace {@code ns}'s /tmp. */
  private void perfData(int ns, String user, int nsPid) throws IOException {
    Path d = proc.resolve("fs" + ns + "/tmp/hsperfdata_" + user);
    Files.createDirectories(d);
    Files.createFile(d.resolve(Integer.toString(nsPid)));
  }
}
