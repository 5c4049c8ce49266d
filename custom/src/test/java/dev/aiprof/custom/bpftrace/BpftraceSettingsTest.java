package dev.aiprof.custom.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.SettingsCatalog;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BpftraceSettingsTest {
  private static final SettingsCatalog CATALOG = SettingsCatalog.of(BpftraceSettings.ALL);

  @Test
  void backoffMinAboveMaxIsRejectedNamingBothKeys() {
    var s = CATALOG.validate(Map.of("bpftrace.backoff-min", "10s", "bpftrace.backoff-max", "2s"));
    assertThatThrownBy(() -> BpftraceSettings.check(s))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("bpftrace.backoff-min")
        .hasMessageContaining("bpftrace.backoff-max");
    BpftraceSettings.check(
        CATALOG.validate(Map.of("bpftrace.backoff-min", "2s", "bpftrace.backoff-max", "2s")));
  }

  @Test
  void backoffMaxIsAtLeastOneSecond() {
    assertThatThrownBy(() -> CATALOG.validate(Map.of("bpftrace.backoff-max", "500ms")))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("bpftrace.backoff-max");
  }

  @Test
  void backoffDoublesToTheMaximum() {
    Duration max = Duration.ofSeconds(5);
    assertThat(ScriptRunner.nextBackoff(Duration.ofSeconds(2), max))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(ScriptRunner.nextBackoff(Duration.ofSeconds(4), max)).isEqualTo(max);
    assertThat(ScriptRunner.nextBackoff(max, max)).isEqualTo(max);
  }
}
