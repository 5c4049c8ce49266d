package dev.aiprof.collectors.jfr;

import static dev.aiprof.collectors.jfr.JfrTesting.ARRIVAL;
import static dev.aiprof.collectors.jfr.JfrTesting.ATTACH;
import static dev.aiprof.collectors.jfr.JfrTesting.ask;
import static dev.aiprof.collectors.jfr.JfrTesting.awaitState;
import static dev.aiprof.collectors.jfr.JfrTesting.jfr;
import static dev.aiprof.collectors.jfr.JfrTesting.recordings;
import static dev.aiprof.collectors.jfr.JfrTesting.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.collectors.TestPipeline;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fallback mechanism (JMX RemoteRecordingStream) and what happens when it is not allowed. */
class JfrJmxIT {
  @Test
  void fallsBackToJmxWhenTheRepositoryMechanismFails() throws Exception {
    ClockSync clock = new ClockSync();
    PhaseRecorder phases = new PhaseRecorder();
    try (Workload w = Workload.start(1);
        TestPipeline tp =
            start(
                HostPaths.defaults(),
                Map.of("jfr.pids", "" + w.pid(), "jfr.jcmd", "/nonexistent/jcmd"),
                phases,
                clock)) {
      JfrCollector c = jfr(tp);
      assertThat(awaitState(c, w.pid(), JvmStatus.State.STREAMING, ATTACH).mechanism())
          .isEqualTo("jmx");
      String[] a = ask(w, "phase 0 over-jmx 10", "phase ").split(" ");
      PhaseRecorder.Delivered d =
          phases.await("over-jmx", p -> p.name().equals("over-jmx"), ARRIVAL);
      Phase p = d.phase();
      assertThat(p.tid()).isEqualTo(Integer.parseInt(a[2]));
      JfrTesting.assertBracketed(p, clock, a, 10);
      System.out.printf(
          "JFR user phase lag commit->delivered (jmx): %d ms%n",
          (d.deliveredNs() - p.endNs()) / 1_000_000);
      ask(w, "gc", "gc ");
      phases.await(
          "GC pause over JMX",
          q -> "System.gc()".equals(q.attributes().get(JfrAttributes.GC_CAUSE)),
          ARRIVAL);

      tp.close(); // closes the collector: it stops its recording
      assertThat(c.statuses().get((int) w.pid()).state()).isEqualTo(JvmStatus.State.CLOSED);
      assertThat(recordings(w.pid())).contains("No available recordings");
    }
  }

  @Test
  void repositoryOnlyFailsWithTheReasonWhenJcmdIsMissing() throws Exception {
    try (Workload w = Workload.start(1);
        TestPipeline tp =
            start(
                HostPaths.defaults(),
                Map.of(
                    "jfr.pids", "" + w.pid(),
                    "jfr.jcmd", "/nonexistent/jcmd",
                    "jfr.mechanism", "repository"),
                new PhaseRecorder(),
                new ClockSync())) {
      JfrCollector c = jfr(tp);
      assertThat(awaitState(c, w.pid(), JvmStatus.State.FAILED, ATTACH).reason())
          .isEqualTo(
              "no jcmd at /nonexistent/jcmd: run the agent on a JDK or set jfr.jcmd to a jcmd tool");
      assertThat(recordings(w.pid())).contains("No available recordings");
    }
  }
}
