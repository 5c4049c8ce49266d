package dev.aiprof.collectors.jfr;

import static dev.aiprof.collectors.jfr.JfrCollectorIT.value;
import static dev.aiprof.collectors.jfr.JfrTesting.ARRIVAL;
import static dev.aiprof.collectors.jfr.JfrTesting.ATTACH;
import static dev.aiprof.collectors.jfr.JfrTesting.ask;
import static dev.aiprof.collectors.jfr.JfrTesting.awaitState;
import static dev.aiprof.collectors.jfr.JfrTesting.followedEver;
import static dev.aiprof.collectors.jfr.JfrTesting.jfr;
import static dev.aiprof.collectors.jfr.JfrTesting.metrics;
import static dev.aiprof.collectors.jfr.JfrTesting.recordings;
import static dev.aiprof.collectors.jfr.JfrTesting.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JVMs that cannot be streamed, JVMs that exit, and JVMs followed later. */
class JfrLifecycleIT {
  @Test
  void failsNonJvmsWithAReasonSurvivesAnExitAndFollowsANewJvm() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "300").start();
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    PhaseRecorder phases = new PhaseRecorder();
    TestPipeline tp = null;
    Workload a = Workload.start(1);
    try {
      String pids = sleep.pid() + "," + a.pid() + "," + done.pid();
      tp =
          start(
              HostPaths.defaults(),
              Map.of("jfr.pids", pids, "jfr.rescan", "200ms"),
              phases,
              new ClockSync());
      JfrCollector c = jfr(tp);
      awaitState(c, a.pid(), JvmStatus.State.STREAMING, ATTACH);
      assertThat(awaitState(c, sleep.pid(), JvmStatus.State.FAILED, ATTACH).reason())
          .isEqualTo("pid " + sleep.pid() + " is not a JVM (no libjvm.so mapped)");
      assertThat(awaitState(c, done.pid(), JvmStatus.State.FAILED, ATTACH).reason())
          .isEqualTo("pid " + done.pid() + ": no such process");
      assertThat(sleep.isAlive()).as("sleep survives: no SIGQUIT was sent").isTrue();
      ask(a, "phase 0 before-exit 5", "phase ");
      phases.await("before-exit", p -> p.name().equals("before-exit"), ARRIVAL);

      a.stop(); // the JVM exits while it is streamed
      awaitState(c, a.pid(), JvmStatus.State.EXITED, Duration.ofSeconds(10));

      try (Workload b = Workload.start(1)) {
        c.follow((int) b.pid());
        awaitState(c, b.pid(), JvmStatus.State.STREAMING, ATTACH);
        ask(b, "phase 0 after-exit 5", "phase ");
        assertThat(
                phases
                    .await("after-exit", p -> p.name().equals("after-exit"), ARRIVAL)
                    .phase()
                    .pid())
            .isEqualTo(b.pid());
        // Each JVM was followed when its stream started (not the others), the exited one let go.
        assertThat(followedEver(tp)).containsExactlyInAnyOrder((int) a.pid(), (int) b.pid());
        assertThat(tp.pipeline().follows().followed((int) a.pid())).as("a exited").isEmpty();
        assertThat(tp.pipeline().follows().followed((int) b.pid())).isPresent();

        RecordingSink sink = metrics(tp);
        assertThat(value(sink, JfrMetrics.ATTACH_FAILURES, Attributes.empty())).isEqualTo(2);
        assertThat(value(sink, JfrMetrics.JVMS, Attributes.of(JfrMetrics.MECHANISM, "repository")))
            .isEqualTo(1);

        tp.close(); // closes the collector: it stops its recordings
        assertThat(recordings(b.pid())).contains("No available recordings");
      }
    } finally {
      if (tp != null) {
        tp.close();
      }
      a.close();
      sleep.destroyForcibly();
    }
  }
}
