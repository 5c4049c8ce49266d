package dev.aiprof.host;

import static dev.aiprof.host.HostMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector on {@code vm2}, the tree recorded on this project's build machine, and on a copy of
 * it whose {@code /proc/stat} moves between two readings (utilisation).
 */
class Vm2TreeTest {
  @TempDir Path dir;

  @Test
  void theVirtioDiskIsReportedAndLoopAndZramAreNot() {
    Path t = HostTrees.tree("vm2");
    try (HostRun r = new HostRun(HostTrees.paths("vm2"), new RecordedStatFs(t), true, Map.of())) {
      Recorded m = r.tickAndCollect();
      assertThat(m.values(DISK_IO.name(), DEVICE)).containsExactly("vda");
      assertThat(m.values(NET_IO.name(), INTERFACE)).containsExactlyInAnyOrder("lo", "eth0");
      assertThat(m.values(FS_LIMIT.name(), FS_MOUNTPOINT))
          .containsExactlyInAnyOrder("/", "/mnt/sandboxing/model_tools_env/v1/python");
      assertThat(m.values(CPU_TIME.name(), CPU_NUMBER)).containsExactlyInAnyOrder(0L, 1L);
      assertThat(m.value(CPU_LOGICAL.name())).contains(2.0);
    }
  }

  @Test
  void utilisationIsEachModesShareOfTheTicksBetweenTwoReadings() throws Exception {
    Path copy = dir.resolve("vm2");
    Path from = HostTrees.tree("vm2");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path to = copy.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Path stat = copy.resolve("proc/stat");
    Files.writeString(stat, "cpu0 100 0 100 800 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\n");
    HostPaths paths = new HostPaths(copy.resolve("proc"), copy.resolve("sys"), copy);
    try (HostRun r = new HostRun(paths, new RecordedStatFs(copy), false, Map.of())) {
      assertThat(r.collect().of(CPU_UTILIZATION.name())).as("one reading: no interval").isEmpty();
      Files.writeString(stat, "cpu0 175 0 125 900 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\n");
      Recorded m = r.tickAndCollect();
      assertThat(m.value(CPU_UTILIZATION.name(), CPU_NUMBER, 0L, CPU_MODE, "user")).contains(0.375);
      assertThat(m.value(CPU_UTILIZATION.name(), CPU_NUMBER, 0L, CPU_MODE, "system"))
          .contains(0.125);
      assertThat(m.value(CPU_UTILIZATION.name(), CPU_NUMBER, 0L, CPU_MODE, "idle")).contains(0.5);
      assertThat(m.value(CPU_UTILIZATION.name(), CPU_NUMBER, 1L, CPU_MODE, "idle"))
          .as("a CPU whose ticks did not move has no utilisation")
          .isEmpty();
      assertThat(m.value(CPU_LOGICAL.name())).as("no OSHI in this run").isEmpty();
    }
  }
}
