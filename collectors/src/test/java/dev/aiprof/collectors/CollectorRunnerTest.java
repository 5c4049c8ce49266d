package dev.aiprof.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.bpf.Features;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CollectorRunnerTest {
  private static final CollectorContext CONTEXT =
      new CollectorContext(
          new Features(Map.of()), HostPaths.defaults(), Map.of(), Duration.ofSeconds(1));

  @Test
  void oneFailingCollectorNeverStopsTheOthers() {
    FakeCollector good = new FakeCollector("good");
    FakeCollector noStart = new FakeCollector("nostart", true, false);
    FakeCollector broken = new FakeCollector("broken", false, true);
    AtomicLong clock = new AtomicLong();
    try (CollectorRunner runner =
        new CollectorRunner(List.of(noStart, broken, good), () -> clock.addAndGet(2_000_000))) {
      List<CollectorRunner.Status> started = runner.start(CONTEXT);
      assertThat(started)
          .extracting(CollectorRunner.Status::name, CollectorRunner.Status::running)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("nostart", false),
              org.assertj.core.groups.Tuple.tuple("broken", true),
              org.assertj.core.groups.Tuple.tuple("good", true));
      assertThat(started.get(0).error()).isEqualTo("nostart needs hardware this host lacks");
      assertThat(noStart.closed).isTrue();

      RecordingSink sink = new RecordingSink();
      runner.collect(sink);
      runner.collect(sink);
      assertThat(good.collections).isEqualTo(2);
      assertThat(sink.of(FakeCollector.TICKS))
          .extracting(RecordingSink.Point::value)
          .containsExactly(1.0, 2.0);
      assertThat(sink.of(CollectorRunner.SUCCESS))
          .extracting(
              p -> p.attributes().get(CollectorRunner.COLLECTOR), RecordingSink.Point::value)
          .contains(
              org.assertj.core.groups.Tuple.tuple("broken", 0.0),
              org.assertj.core.groups.Tuple.tuple("good", 1.0));
      assertThat(sink.of(CollectorRunner.DURATION))
          .allSatisfy(p -> assertThat(p.value()).isEqualTo(0.002));
      assertThat(runner.statuses())
          .filteredOn(s -> s.name().equals("broken"))
          .extracting(CollectorRunner.Status::error)
          .containsExactly("broken broke");
      assertThat(runner.find(FakeCollector.class)).isPresent();
    }
    assertThat(good.closed).isTrue();
    assertThat(broken.closed).isTrue();
  }

  @Test
  void selfMetricsAreKeyedByCollector() {
    assertThat(Attributes.of(CollectorRunner.COLLECTOR, "x").get(CollectorRunner.COLLECTOR))
        .isEqualTo("x");
    assertThat(CollectorRunner.SUCCESS.kind()).isEqualTo(MetricId.Kind.GAUGE);
  }
}
