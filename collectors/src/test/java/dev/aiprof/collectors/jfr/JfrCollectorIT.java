package dev.aiprof.collectors.jfr;

import static dev.aiprof.collectors.jfr.JfrTesting.ARRIVAL;
import static dev.aiprof.collectors.jfr.JfrTesting.ATTACH;
import static dev.aiprof.collectors.jfr.JfrTesting.ask;
import static dev.aiprof.collectors.jfr.JfrTesting.awaitState;
import static dev.aiprof.collectors.jfr.JfrTesting.context;
import static dev.aiprof.collectors.jfr.JfrTesting.recordings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.collectors.HostPaths;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.phase.ClockSync;
import dev.aiprof.collectors.phase.Phase;
import dev.aiprof.collectors.phase.PhaseOrigin;
import dev.aiprof.testing.JfrWorkload;
import dev.aiprof.testing.WorkloadProcess;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streams a real child JVM ({@link JfrWorkload}) through the primary mechanism. */
class JfrCollectorIT {
  private static final long TOLERANCE_NS = 5_000_000;

  @Test
  void userPhasesGcPausesAndSafepointsArriveWithTheWorkloadsThreadsAndTimes() throws Exception {
    ClockSync clock = new ClockSync();
    PhaseRecorder phases = new PhaseRecorder();
    JfrCollector c = new JfrCollector();
    try (WorkloadProcess w = WorkloadProcess.start(null, JfrWorkload.class, "2")) {
      int pid = (int) w.pid();
      c.start(context(HostPaths.defaults(), Map.of("jfr.pids", "" + pid), phases, clock));
      assertThat(awaitState(c, pid, JvmStatus.State.STREAMING, ATTACH).mechanism())
          .isEqualTo("repository");
      assertThat(phases.processes).containsExactly(pid);
      assertThat(recordings(pid)).contains("name=aiprof-" + ProcessHandle.current().pid());

      Map<Integer, String> threads = w.threads("jfr-");
      List<Long> lags = new ArrayList<>();
      List<Long> errors = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (String[] step :
            new String[][] {{"0", "load-" + round, "30"}, {"1", "decode-" + round, "15"}}) {
          String[] a = ask(w, "phase " + String.join(" ", step), "phase ").split(" ");
          int tid = Integer.parseInt(a[2]);
          assertThat(threads.get(tid)).isEqualTo("jfr-" + step[0]);
          long begin = clock.toMonotonic(Long.parseLong(a[3]));
          long end = clock.toMonotonic(Long.parseLong(a[4]));
          PhaseRecorder.Delivered d = phases.await(step[1], p -> p.name().equals(step[1]), ARRIVAL);
          Phase p = d.phase();
          assertThat(p.origin()).isEqualTo(PhaseOrigin.JFR);
          assertThat(p.pid()).isEqualTo(pid);
          assertThat(p.tid()).isEqualTo(tid);
          assertThat(p.attributes().get(JfrAttributes.THREAD_NAME)).isEqualTo("jfr-" + step[0]);
          assertThat(p.startNs()).isBetween(begin - TOLERANCE_NS, begin + TOLERANCE_NS);
          assertThat(p.endNs()).isBetween(end - TOLERANCE_NS, end + TOLERANCE_NS);
          assertThat(p.durationNs()).isGreaterThanOrEqualTo(Long.parseLong(step[2]) * 1_000_000);
          lags.add(d.deliveredNs() - p.endNs());
          errors.add(Math.max(Math.abs(p.startNs() - begin), Math.abs(p.endNs() - end)));
        }
      }
      System.out.printf(
          "JFR user phase lag commit->delivered (repository, flush 1s): %s ms%n",
          lags.stream().map(l -> l / 1_000_000).toList());
      System.out.printf(
          "JFR user phase time error vs the workload's own clock readings: %s us%n",
          errors.stream().map(e -> e / 1_000).toList());

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

      RecordingSink sink = new RecordingSink();
      c.collect(sink);
      assertThat(value(sink, JfrMetrics.JVMS, Attributes.of(JfrMetrics.MECHANISM, "repository")))
          .isEqualTo(1);
      assertThat(value(sink, JfrMetrics.PHASES, Attributes.of(JfrAttributes.KIND, "user")))
          .isGreaterThanOrEqualTo(6);
      assertThat(value(sink, JfrMetrics.PHASES, Attributes.of(JfrAttributes.KIND, "gc")))
          .isGreaterThanOrEqualTo(2);
      assertThat(value(sink, JfrMetrics.DROPPED, Attributes.of(JfrMetrics.REASON, "queue_full")))
          .isZero();
      assertThat(value(sink, JfrMetrics.ATTACH_FAILURES, Attributes.empty())).isZero();

      c.close();
      assertThat(c.statuses().get(pid).state()).isEqualTo(JvmStatus.State.CLOSED);
      assertThat(recordings(pid)).contains("No available recordings");
      assertThat(w.threads("jfr-")).isEqualTo(threads); // the workload runs on
    } finally {
      c.close();
    }
  }

  static double value(RecordingSink sink, dev.aiprof.collectors.MetricId id, Attributes a) {
    return sink.of(id).stream()
        .filter(p -> p.attributes().equals(a))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + id.name() + " " + a))
        .value();
  }
}
