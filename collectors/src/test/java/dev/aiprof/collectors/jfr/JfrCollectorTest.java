package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingException;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.pipeline.CollectorCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JfrCollectorTest {
  private static final List<dev.aiprof.api.metrics.MetricId> JFR_METRICS =
      List.of(JfrMetrics.JVMS, JfrMetrics.ATTACH_FAILURES, JfrMetrics.PHASES, JfrMetrics.DROPPED);

  @Test
  void isFoundByServiceLoaderAndOnByDefault() {
    CollectorProvider p = CollectorCatalog.discover().get("jfr");
    assertThat(p).isInstanceOf(JfrProvider.class);
    assertThat(p.getName()).isEqualTo(JfrProvider.NAME);
    assertThat(p.enabledByDefault()).isTrue();
    assertThat(p.roles()).containsExactlyInAnyOrder(Role.PHASE_SOURCE, Role.METRIC_SOURCE);
    assertThat(p.requires()).isEmpty();
    assertThat(p.settings())
        .isNotEmpty()
        .extracting(Setting::key)
        .allSatisfy(k -> assertThat(k).startsWith("jfr."));
  }

  @Test
  void withNoJvmSelectedItStartsNothingAndReportsNothing() {
    try (TestPipeline tp = TestPipeline.start(Set.of("jfr"), Map.of(), PhaseListener.NONE)) {
      JfrCollector c = tp.collector("jfr", JfrCollector.class);
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().startsWith("aiprof-jfr"));
      RecordingSink sink = new RecordingSink();
      tp.pipeline().metrics().collect(sink);
      assertThat(JFR_METRICS).allSatisfy(m -> assertThat(sink.of(m)).as(m.name()).isEmpty());
      assertThat(tp.pipeline().lastSeries()).containsEntry("jfr", 0);
      assertThat(c.statuses()).isEmpty();
    }
  }

  @Test
  void badSettingsStopTheStart() {
    assertThatThrownBy(
            () ->
                TestPipeline.start(Set.of("jfr"), Map.of("jfr.select", "yes"), PhaseListener.NONE))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("invalid jfr.select 'yes'");
  }

  @Test
  void followBeforeStartIsAnError() {
    try (JfrCollector c = new JfrCollector()) {
      assertThatThrownBy(() -> c.follow(1)).hasMessage("the jfr collector is not started");
    }
  }

  @Test
  void eventSettingsAreJcmdOptionsWithoutSpaces() {
    assertThat(JfrEvents.jcmdOptions(Duration.ofMillis(5)))
        .contains(
            "+jdk.GCPhasePause#enabled=true",
            "+jdk.GCPhasePause#threshold=5000000ns",
            "+jdk.SafepointBegin#threshold=0ns",
            "+aiprof.Phase#stackTrace=false")
        .allSatisfy(o -> assertThat(o).doesNotContain(" "));
  }
}
