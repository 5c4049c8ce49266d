package dev.aiprof.collectors.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class SchedCollectorIT {
  @Test
  void reportsPerCgroupMetricsAndHandsEpisodesToListeners() throws Exception {
    CollectorContext ctx =
        new CollectorContext(
            new FeatureProber().probe(),
            HostPaths.defaults(),
            Map.of("sched.min-event", "0"),
            Duration.ofSeconds(1));
    AtomicLong episodes = new AtomicLong();
    try (SchedCollector c = new SchedCollector()) {
      c.addListener(e -> episodes.incrementAndGet());
      c.start(ctx);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (episodes.get() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(1); // poll: the host's other processes produce the episodes
      }
      assertThat(episodes.get()).isGreaterThanOrEqualTo(100);
      RecordingSink sink = new RecordingSink();
      c.collect(sink);
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
