package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarkerRegistrationTest {
  @Test
  void theStandardRegistryRunsTheMarkerCollectorAfterTheSchedulerCollector() {
    assertThat(CollectorRegistry.standard().entries())
        .anySatisfy(
            e -> {
              assertThat(e.name()).isEqualTo(MarkerCollector.NAME);
              assertThat(e.enabledByDefault()).isTrue();
            });
    List<Collector> created = CollectorRegistry.standard().create(Set.of(), Set.of());
    assertThat(created).extracting(Collector::name).containsSubsequence("sched", "marker");
  }
}
