package dev.aiprof.agent.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.SettingsCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseMetricsSettingsTest {
  final SettingsCatalog catalog = SettingsCatalog.of(PhaseMetricsSettings.ALL);

  @Test
  void defaults() {
    var s = catalog.validate(Map.of());
    assertThat(s.get(PhaseMetricsSettings.MAX_NAMES)).isEqualTo(256);
    assertThat(s.get(PhaseMetricsSettings.DURATION_BUCKETS)).hasSize(13);
    assertThat(PhaseMetricsSettings.DURATION_BUCKETS.defaultText())
        .isEqualTo("1ms,2.5ms,5ms,10ms,25ms,50ms,100ms,250ms,500ms,1s,2.5s,5s,10s");
  }

  @Test
  void bucketsParseAndPrintBack() {
    var s = catalog.validate(Map.of("metrics.phase-duration-buckets", " 500us, 2.5ms ,1s,90s"));
    List<Duration> b = s.get(PhaseMetricsSettings.DURATION_BUCKETS);
    assertThat(b)
        .containsExactly(
            Duration.ofNanos(500_000),
            Duration.ofNanos(2_500_000),
            Duration.ofSeconds(1),
            Duration.ofSeconds(90));
    assertThat(PhaseMetricsSettings.formatBuckets(b)).isEqualTo("500us,2.5ms,1s,90s");
    assertThat(PhaseMetricsSettings.parseBuckets("k", PhaseMetricsSettings.formatBuckets(b)))
        .isEqualTo(b);
  }

  @Test
  void badBucketsNameTheKeyTheValueAndTheFix() {
    for (var bad :
        Map.of(
                "10ms,5ms", "must increase",
                "10ms,often", "'often' is not a duration",
                "0,1s", "above 0",
                ",", "give 1 to 64 bounds")
            .entrySet()) {
      assertThatThrownBy(
              () -> catalog.validate(Map.of("metrics.phase-duration-buckets", bad.getKey())))
          .isInstanceOf(SettingException.class)
          .hasMessageStartingWith("invalid metrics.phase-duration-buckets '" + bad.getKey() + "'")
          .hasMessageContaining(bad.getValue());
    }
    assertThatThrownBy(() -> catalog.validate(Map.of("metrics.max-phase-names", "0")))
        .hasMessageStartingWith("invalid metrics.max-phase-names '0': use a whole number from 1");
  }
}
