package dev.aiprof.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CollectorRegistryTest {
  private static CollectorRegistry registry() {
    return new CollectorRegistry()
        .register("a", true, () -> new FakeCollector("a"))
        .register("b", false, () -> new FakeCollector("b"));
  }

  @Test
  void defaultsPlusEnabledMinusDisabled() {
    assertThat(registry().create(Set.of(), Set.of()))
        .extracting(Collector::name)
        .containsExactly("a");
    assertThat(registry().create(Set.of("b"), Set.of("a")))
        .extracting(Collector::name)
        .containsExactly("b");
  }

  @Test
  void unknownNamesAreErrorsNamingTheKnownOnes() {
    assertThatThrownBy(() -> registry().create(Set.of("gpu"), Set.of()))
        .hasMessage("unknown collector 'gpu': known collectors are [a, b]");
  }

  @Test
  void namesAreUnique() {
    assertThatThrownBy(() -> registry().register("a", true, () -> new FakeCollector("a")))
        .hasMessageContaining("twice");
  }

  @Test
  void standardRegistryHasTheSchedulerCollectorOnByDefault() {
    assertThat(CollectorRegistry.standard().entries())
        .anySatisfy(
            e -> {
              assertThat(e.name()).isEqualTo("sched");
              assertThat(e.enabledByDefault()).isTrue();
            });
  }
}
