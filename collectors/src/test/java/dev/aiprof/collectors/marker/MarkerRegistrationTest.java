package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.collectors.sched.SchedProvider;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import org.junit.jupiter.api.Test;

/**
 * The marker collector is found by ServiceLoader, as the agent finds it, beside the scheduler's.
 */
class MarkerRegistrationTest {
  @Test
  void serviceLoaderFindsTheMarkerCollectorOnByDefaultUsingTheSchedulerCollector() {
    CollectorCatalog catalog = CollectorCatalog.discover();
    CollectorProvider p = catalog.get("marker");
    assertThat(p).isInstanceOf(MarkerProvider.class);
    assertThat(p.getName()).isEqualTo(MarkerProvider.NAME).isEqualTo("marker");
    assertThat(p.roles()).containsExactlyInAnyOrder(Role.PHASE_SOURCE, Role.METRIC_SOURCE);
    assertThat(p.enabledByDefault()).isTrue();
    // It uses sched when sched runs (following in the kernel), and runs without it.
    assertThat(p.uses()).containsExactly(SchedProvider.NAME);
    assertThat(p.requires()).isEmpty();
    assertThat(catalog.get(SchedProvider.NAME)).isInstanceOf(SchedProvider.class);
    assertThat(p.create()).isInstanceOf(MarkerCollector.class);
    assertThat(catalog.select(CollectorChoice.DEFAULTS)).contains("sched", "marker");
  }

  @Test
  void theSchedulerCollectorIsFoundWithItsRoles() {
    CollectorProvider s = CollectorCatalog.discover().get("sched");
    assertThat(s.roles())
        .containsExactlyInAnyOrder(
            Role.PHASE_SIGNAL, Role.METRIC_SOURCE, Role.PROCESS_FOLLOWER, Role.REPORT_SECTION);
    assertThat(s.requires()).isEmpty();
    assertThat(s.uses()).isEmpty();
  }

  @Test
  void theirSettingsAllStartWithTheirName() {
    assertThat(new MarkerProvider().settings())
        .isNotEmpty()
        .extracting(Setting::key)
        .allSatisfy(k -> assertThat(k).startsWith("marker."))
        .contains(
            MarkerSettings.LIBRARIES.key(),
            MarkerSettings.SCAN_INTERVAL.key(),
            MarkerSettings.REREAD_INTERVAL.key());
    assertThat(new SchedProvider().settings())
        .isNotEmpty()
        .extracting(Setting::key)
        .allSatisfy(k -> assertThat(k).startsWith("sched."))
        .contains("sched.min-stall")
        .doesNotContain("sched.drain-interval", "sched.drain-interval-max");
    assertThat(CollectorCatalog.discover().settings())
        .containsAll(new MarkerProvider().settings())
        .containsAll(new SchedProvider().settings());
  }
}
