package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.collectors.CollectorRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OtlpRegistrationTest {
  @Test
  void theStandardRegistryRunsTheOtlpReceiverByDefault() {
    assertThat(CollectorRegistry.standard().entries())
        .filteredOn(e -> e.name().equals(OtlpCollector.NAME))
        .singleElement()
        .satisfies(e -> assertThat(e.enabledByDefault()).isTrue());
    assertThat(CollectorRegistry.standard().create(Set.of(), Set.of()))
        .hasAtLeastOneElementOfType(OtlpCollector.class);
    assertThat(CollectorRegistry.standard().create(Set.of(), Set.of("otlp")))
        .noneMatch(c -> c instanceof OtlpCollector);
  }
}
