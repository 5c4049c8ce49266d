package dev.aiprof.collectors.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.pipeline.Pipeline;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class SchedCollectorIT {
  @Test
  void reportsPerCgroupMetricsAndHandsEpisodesToListeners() throws Exception {
    AtomicLong episodes = new AtomicLong();
    try (TestPipeline tp =
        TestPipeline.start(Set.of("sched"), Map.of("sched.min-event", "0"), PhaseListener.NONE)) {
      SchedCollector c = tp.collector("sched", SchedCollector.class);
      c.addListener(e -> episodes.incrementAndGet());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (episodes.get() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(1); // poll: the host's other processes produce the episodes
      }
      assertThat(episodes.get()).isGreaterThanOrEqualTo(100);
      RecordingSink sink = new RecordingSink();
      tp.pipeline().metrics().collect(sink);
      assertThat(sink.of(Pipeline.COLLECTOR_SUCCESS))
          .filteredOn(x -> "sched".equals(x.attributes().get(Pipeline.COLLECTOR)))
          .singleElement()
          .satisfies(x -> assertThat(x.value()).isEqualTo(1));
      assertThat(sink.of(SchedMetrics.RUNQUEUE_LATENCY))
          .isNotEmpty()
          .allSatisfy(
              p -> {
                assertThat(p.attributes().get(Identity.CGROUP_ID)).isNotNull();
                assertThat(p.histogram().slots()).isEqualTo(40);
              });
      assertThat(sink.of(SchedMetrics.RUNQUEUE_LATENCY))
          .anySatisfy(p -> assertThat(p.histogram().total()).isPositive());
      assertThat(sink.of(SchedMetrics.CPU_TIME))
          .anySatisfy(p -> assertThat(p.value()).isPositive());
      assertThat(sink.of(SchedMetrics.OFFCPU_TIME))
          .extracting(p -> p.attributes().get(SchedMetrics.STATE))
          .contains("runqueue", "sleep", "blocked", "other");
      assertThat(sink.of(SchedMetrics.PROBE_EVENTS))
          .singleElement()
          .satisfies(p -> assertThat(p.value()).isPositive());
      assertThat(c.eventsReceived()).isPositive();
      assertThat(c.failedRecords()).isZero();
    }
  }
}
