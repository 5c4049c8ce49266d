package dev.aiprof.collectors.jfr;

import static dev.aiprof.collectors.jfr.JfrTesting.ARRIVAL;
import static dev.aiprof.collectors.jfr.JfrTesting.ATTACH;
import static dev.aiprof.collectors.jfr.JfrTesting.TOLERANCE_NS;
import static dev.aiprof.collectors.jfr.JfrTesting.ask;
import static dev.aiprof.collectors.jfr.JfrTesting.assertBracketed;
import static dev.aiprof.collectors.jfr.JfrTesting.awaitState;
import static dev.aiprof.collectors.jfr.JfrTesting.followedEver;
import static dev.aiprof.collectors.jfr.JfrTesting.jfr;
import static dev.aiprof.collectors.jfr.JfrTesting.metrics;
import static dev.aiprof.collectors.jfr.JfrTesting.recordings;
import static dev.aiprof.collectors.jfr.JfrTesting.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streams a real child JVM ({@link JfrWorkload}) through the primary mechanism. */
class JfrCollectorIT {

  @Test
  void userPhasesGcPausesAndSafepointsArriveWithTheWorkloadsThreadsAndTimes() throws Exception {
    ClockSync clock = new ClockSync();
    PhaseRecorder phases = new PhaseRecorder();
    try (Workload w = Workload.start(2);
        TestPipeline tp =
            start(HostPaths.defaults(), Map.of("jfr.pids", "" + w.pid()), phases, clock)) {
      int pid = (int) w.pid();
      JfrCollector c = jfr(tp);
      assertThat(awaitState(c, pid, JvmStatus.State.STREAMING, ATTACH).mechanism())
          .isEqualTo("repository");
      // It asked the follow service to follow the JVM it streams, and nothing else.
      assertThat(tp.pipeline().follows().followed(pid)).isPresent();
      assertThat(followedEver(tp)).containsExactly(pid);
      assertThat(recordings(pid)).contains("name=aiprof-" + ProcessHandle.current().pid());

      Map<Integer, String> threads = w.threads("jfr-");
      List<Long> lags = new ArrayList<>();
      List<Long> startErrors = new ArrayList<>();
      List<Long> endErrors = new ArrayList<>();
      // Commit eight phases back to back (spread over ~0.7 s, so across the reader's polling
      // cycle), then check each.
      List<String[]> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String thread = Integer.toString(i % 2);
        String ms = Integer.toString(40 + 20 * i);
        answers.add(ask(w, "phase " + thread + " step-" + i + " " + ms, "phase ").split(" "));
      }
      for (int i = 0; i < answers.size(); i++) {
        String[] a = answers.get(i);
        String name = a[1];
        int tid = Integer.parseInt(a[2]);
        assertThat(threads.get(tid)).isEqualTo("jfr-" + i % 2);
        long begin = clock.toMonotonic(Long.parseLong(a[3]));
        long end = clock.toMonotonic(Long.parseLong(a[4]));
        PhaseRecorder.Delivered d = phases.await(name, p -> p.name().equals(name), ARRIVAL);
        Phase p = d.phase();
        assertThat(p.origin()).isEqualTo(PhaseOrigin.JFR);
        assertThat(p.pid()).isEqualTo(pid);
        assertThat(p.tid()).isEqualTo(tid);
        assertThat(p.attributes().get(JfrAttributes.THREAD_NAME)).isEqualTo("jfr-" + i % 2);
        assertBracketed(p, clock, a, 40 + 20 * i);
        lags.add(d.deliveredNs() - p.endNs());
        startErrors.add(p.startNs() - begin);
        endErrors.add(p.endNs() - end);
      }
      System.out.printf(
          "JFR user phase lag commit->delivered (repository, flush 1s): %s ms%n",
          lags.stream().map(l -> l / 1_000_000).toList());
      System.out.printf(
          "JFR user phase start/end vs the workload's own clock readings: %s / %s us%n",
          startErrors.stream().map(e -> e / 1_000).toList(),
          endErrors.stream().map(e -> e / 1_000).toList());

      String[] gc = ask(w, "gc", "gc ").split(" ");
      long gcBegin = clock.toMonotonic(Long.parseLong(gc[1]));
      long gcEnd = clock.toMonotonic(Long.parseLong(gc[2]));
      Phase full =
          phases
              .await(
                  "System.gc() pause",
                  p -> "System.gc()".equals(p.attributes().get(JfrAttributes.GC_CAUSE)),
                  ARRIVAL)
              .phase();
      assertThat(full.processWide()).isTrue();
      assertThat(full.name()).startsWith("GC pause: ");
      assertThat(full.attributes().get(JfrAttributes.GC_NAME)).isNotBlank();
      assertThat(full.startNs()).isBetween(gcBegin - TOLERANCE_NS, gcEnd);
      assertThat(full.endNs()).isBetween(full.startNs(), gcEnd + TOLERANCE_NS);
      Phase safepoint =
          phases
              .await(
                  "safepoint around the System.gc() pause",
                  p ->
                      "safepoint".equals(p.attributes().get(JfrAttributes.KIND))
                          && p.startNs() <= full.startNs()
                          && p.endNs() >= full.endNs(),
                  ARRIVAL)
              .phase();
      assertThat(safepoint.processWide()).isTrue();
      assertThat(safepoint.name()).startsWith("safepoint: ");
      assertThat(safepoint.attributes().get(JfrAttributes.VM_OPERATION)).isNotBlank();

      ask(w, "alloc 256", "alloc done");
      Phase young =
          phases
              .await(
                  "young GC pause",
                  p -> "Allocation Failure".equals(p.attributes().get(JfrAttributes.GC_CAUSE)),
                  ARRIVAL)
              .phase();
      assertThat(young.name())
          .isEqualTo("GC pause: " + young.attributes().get(JfrAttributes.GC_NAME));

      RecordingSink sink = metrics(tp);
      assertThat(value(sink, JfrMetrics.JVMS, Attributes.of(JfrMetrics.MECHANISM, "repository")))
          .isEqualTo(1);
      assertThat(value(sink, JfrMetrics.PHASES, Attributes.of(JfrAttributes.KIND, "user")))
          .isGreaterThanOrEqualTo(8);
      assertThat(value(sink, JfrMetrics.PHASES, Attributes.of(JfrAttributes.KIND, "gc")))
          .isGreaterThanOrEqualTo(2);
      assertThat(value(sink, JfrMetrics.DROPPED, Attributes.of(JfrMetrics.REASON, "queue_full")))
          .isZero();
      assertThat(value(sink, JfrMetrics.ATTACH_FAILURES, Attributes.empty())).isZero();

      tp.close(); // closes the collector: it stops its recording
      assertThat(c.statuses().get(pid).state()).isEqualTo(JvmStatus.State.CLOSED);
      assertThat(recordings(pid)).contains("No available recordings");
      assertThat(w.threads("jfr-")).isEqualTo(threads); // the workload runs on
    }
  }

  static double value(RecordingSink sink, dev.aiprof.api.metrics.MetricId id, Attributes a) {
    return sink.of(id).stream()
        .filter(p -> p.attributes().equals(a))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + id.name() + " " + a))
        .value();
  }
}
