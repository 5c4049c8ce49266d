package dev.aiprof.collectors.jfr;

import static dev.aiprof.collectors.jfr.JfrTesting.ARRIVAL;
import static dev.aiprof.collectors.jfr.JfrTesting.ATTACH;
import static dev.aiprof.collectors.jfr.JfrTesting.awaitState;
import static dev.aiprof.collectors.jfr.JfrTesting.jfr;
import static dev.aiprof.collectors.jfr.JfrTesting.recordings;
import static dev.aiprof.collectors.jfr.JfrTesting.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.testing.JfrWorkload;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A JVM as a container runs it: its own pid, mount and network namespaces, a private /tmp, and
 * another user. Root is needed to make the namespaces and to attach to another user's JVM.
 */
@Requires(
    root = true,
    tools = {"unshare", "setpriv"})
class JfrContainerIT {
  @Test
  void streamsAJvmInOtherNamespacesAsAnotherUserWithHostThreadIds() throws Exception {
    Path classes = Path.of(System.getenv().getOrDefault("AIPROF_BUILD_DIR", "target"), "jfr-ns");
    ClockSync clock = new ClockSync();
    PhaseRecorder phases = new PhaseRecorder();
    TestPipeline tp = null;
    TestPipeline jmxOnlyPipeline = null;
    try (NamespacedJvm jvm = NamespacedJvm.start(classes, JfrWorkload.class, "1")) {
      int pid = jvm.pid();
      assertThat(new JvmDiscovery(HostPaths.defaults()).scan(Set.of())).contains(pid);

      tp = start(HostPaths.defaults(), Map.of("jfr.pids", "" + pid), phases, clock);
      JfrCollector c = jfr(tp);
      assertThat(awaitState(c, pid, JvmStatus.State.STREAMING, ATTACH).mechanism())
          .isEqualTo("repository");
      jvm.send("phase 0 in-container 10");
      String[] a = jvm.readLine().split(" ");
      assertThat(a[0]).isEqualTo("phase");
      int hostTid = hostTid(pid, "jfr-0");
      Phase p = phases.await("in-container", q -> q.name().equals("in-container"), ARRIVAL).phase();
      assertThat(p.pid()).isEqualTo(pid);
      assertThat(p.tid()).as("host tid (the JVM saw %s)", a[2]).isEqualTo(hostTid);
      JfrTesting.assertBracketed(p, clock, a, 10);

      jmxOnlyPipeline =
          start(
              HostPaths.defaults(),
              Map.of("jfr.pids", "" + pid, "jfr.mechanism", "jmx"),
              new PhaseRecorder(),
              clock);
      JfrCollector jmxOnly = jfr(jmxOnlyPipeline);
      assertThat(awaitState(jmxOnly, pid, JvmStatus.State.FAILED, ATTACH).reason())
          .isEqualTo(
              "JVM pid "
                  + pid
                  + " is in another network namespace: its local JMX agent is unreachable from"
                  + " here");

      tp.close(); // closes the collector: it stops its recording
      assertThat(recordings(pid)).contains("No available recordings");
    } finally {
      if (tp != null) {
        tp.close();
      }
      if (jmxOnlyPipeline != null) {
        jmxOnlyPipeline.close();
      }
    }
  }

  private static int hostTid(int pid, String name) throws Exception {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Integer.toString(pid), "task"))) {
      for (Path t : tasks.toList()) {
        if (Files.readString(t.resolve("comm")).strip().equals(name)) {
          return Integer.parseInt(t.getFileName().toString());
        }
      }
    }
    throw new AssertionError("no thread " + name + " in " + pid);
  }
}
