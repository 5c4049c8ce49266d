package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OTLP receiver is found by ServiceLoader, as the agent finds it. */
class OtlpRegistrationTest {
  @Test
  void serviceLoaderFindsTheReceiverOnByDefaultAsAPhaseAndMetricSource() {
    CollectorCatalog catalog = CollectorCatalog.discover();
    CollectorProvider p = catalog.get("otlp");
    assertThat(p).isInstanceOf(OtlpProvider.class);
    assertThat(p.getName()).isEqualTo(OtlpProvider.NAME).isEqualTo("otlp");
    assertThat(p.roles()).containsExactlyInAnyOrder(Role.PHASE_SOURCE, Role.METRIC_SOURCE);
    assertThat(p.requires()).isEmpty();
    assertThat(p.uses()).isEmpty();
    assertThat(p.enabledByDefault()).isTrue();
    assertThat(p.create()).isInstanceOf(OtlpCollector.class);
    assertThat(catalog.select(CollectorChoice.DEFAULTS)).contains("otlp");
    assertThat(catalog.select(new CollectorChoice(Set.of(), Set.of(), Set.of("otlp"))))
        .doesNotContain("otlp");
  }

  @Test
  void itsSettingsAllStartWithItsName() {
    assertThat(new OtlpProvider().settings())
        .isNotEmpty()
        .extracting(Setting::key)
        .allSatisfy(k -> assertThat(k).startsWith("otlp."))
        .contains(
            OtlpSettings.ENABLED.key(),
            OtlpSettings.GRPC_ADDRESS.key(),
            OtlpSettings.HTTP_ADDRESS.key(),
            OtlpSettings.QUEUE_SIZE.key(),
            OtlpSettings.MAX_REQUEST_SIZE.key());
    assertThat(CollectorCatalog.discover().settings()).containsAll(new OtlpProvider().settings());
  }
}
