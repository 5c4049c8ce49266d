package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.Features;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.CollectorRegistry;
import dev.aiprof.collectors.RecordingSink;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JfrCollectorTest {
  private static CollectorContext context(Map<String, String> settings) {
    return new CollectorContext(
        new Features(Map.of()), HostPaths.defaults(), settings, Duration.ofSeconds(1));
  }

  @Test
  void isRegisteredAndOnByDefault() {
    assertThat(CollectorRegistry.standard().entries())
        .anySatisfy(
            e -> {
              assertThat(e.name()).isEqualTo("jfr");
              assertThat(e.enabledByDefault()).isTrue();
            });
  }

  @Test
  void withNoJvmSelectedItStartsNothingAndReportsNothing() {
    try (JfrCollector c = new JfrCollector()) {
      c.start(context(Map.of()));
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().startsWith("aiprof-jfr"));
      RecordingSink sink = new RecordingSink();
      c.collect(sink);
      assertThat(sink.points).isEmpty();
      assertThat(c.statuses()).isEmpty();
    }
  }

  @Test
  void badSettingsFailTheStart() {
    try (JfrCollector c = new JfrCollector()) {
      assertThatThrownBy(() -> c.start(context(Map.of("jfr.select", "yes"))))
          .hasMessageStartingWith("invalid jfr.select 'yes'");
    }
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
