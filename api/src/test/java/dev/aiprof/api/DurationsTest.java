package dev.aiprof.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesTheUnitsUsersType() {
    assertThat(Durations.parse("x", "10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("x", "250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Durations.parse("x", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("x", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("x", "0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsWithTheOptionAndTheForm() {
    assertThatThrownBy(() -> Durations.parse("--duration", "10"))
        .hasMessage(
            "invalid --duration '10': use a number and a unit (ns, us, ms, s, m, h), e.g. 10s");
    assertThatThrownBy(() -> Durations.parse("--duration", "ten s"))
        .hasMessageContaining("'ten s'");
  }

  @Test
  void formatsWithAFittingUnit() {
    assertThat(Durations.format(850)).isEqualTo("850ns");
    assertThat(Durations.format(12_345)).isEqualTo("12.3us");
    assertThat(Durations.format(4_560_000)).isEqualTo("4.56ms");
    assertThat(Durations.format(1.23e9)).isEqualTo("1.23s");
  }
}
