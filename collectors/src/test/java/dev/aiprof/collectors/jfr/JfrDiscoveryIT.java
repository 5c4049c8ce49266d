package dev.aiprof.collectors.jfr;

import static dev.aiprof.collectors.jfr.JfrTesting.ARRIVAL;
import static dev.aiprof.collectors.jfr.JfrTesting.ATTACH;
import static dev.aiprof.collectors.jfr.JfrTesting.ask;
import static dev.aiprof.collectors.jfr.JfrTesting.awaitState;
import static dev.aiprof.collectors.jfr.JfrTesting.jfr;
import static dev.aiprof.collectors.jfr.JfrTesting.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.collectors.TestPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jfr.select=all}: discovery through hsperfdata files, on the real /proc and on a view of it
 * that holds only the test's own workloads (so the test never attaches to other JVMs here).
 */
class JfrDiscoveryIT {
  @Test
  void discoveryFindsAChildJvmButNotItself() {
    try (Workload w = Workload.start(1)) {
      Set<Integer> jvms = new JvmDiscovery(HostPaths.defaults()).scan(Set.of());
      assertThat(jvms).contains((int) w.pid()).doesNotContain((int) ProcessHandle.current().pid());
    }
  }

  @Test
  void selectAllStreamsEveryJvmAndPicksUpNewOnes(@TempDir Path view) throws Exception {
    link(view, "self", ProcessHandle.current().pid());
    HostPaths paths = new HostPaths(view, Path.of("/sys"), Path.of("/sys/fs/cgroup"));
    PhaseRecorder phases = new PhaseRecorder();
    TestPipeline tp = null;
    try (Workload a = Workload.start(1)) {
      link(view, Long.toString(a.pid()), a.pid());
      tp =
          start(paths, Map.of("jfr.select", "all", "jfr.rescan", "200ms"), phases, new ClockSync());
      JfrCollector c = jfr(tp);
      awaitState(c, a.pid(), JvmStatus.State.STREAMING, ATTACH);
      try (Workload b = Workload.start(1)) {
        link(view, Long.toString(b.pid()), b.pid());
        awaitState(c, b.pid(), JvmStatus.State.STREAMING, ATTACH);
        assertThat(c.statuses().keySet()).containsExactlyInAnyOrder((int) a.pid(), (int) b.pid());
        ask(b, "phase 0 found 5", "phase ");
        assertThat(phases.await("found", p -> p.name().equals("found"), ARRIVAL).phase().pid())
            .isEqualTo(b.pid());
      }
    } finally {
      if (tp != null) {
        tp.close();
      }
      try (var links = Files.list(view)) {
        for (Path l : links.toList()) {
          Files.delete(l); // the links only (TempDir warns about links leading outside it)
        }
      }
    }
  }

  private static void link(Path view, String name, long pid) throws Exception {
    Files.createSymbolicLink(view.resolve(name), Path.of("/proc", Long.toString(pid)));
  }
}
