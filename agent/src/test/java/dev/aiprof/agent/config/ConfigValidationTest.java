package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.collectors.sched.SchedSettings;
import dev.aiprof.pipeline.CollectorCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file validated as strictly as the flags, with file and line, secrets never shown. */
class ConfigValidationTest {
  static final SettingsCatalog CATALOG = AgentSettings.catalog(CollectorCatalog.discover());

  @TempDir Path dir;

  private ConfigDocument doc(String text) throws IOException {
    return ConfigDocument.read(Files.writeString(dir.resolve("c.yaml"), text));
  }

  @Test
  void aMisspeltKeyNamesLineAndNearestKey() throws IOException {
    ConfigDocument d = doc("sched:\n  min-event: 1ms\n  min-evnt: 2ms\n");
    assertThatThrownBy(() -> ConfigValidation.validate(CATALOG, d, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "config file "
                + d.file()
                + " line 3: unknown setting 'sched.min-evnt': did you mean 'sched.min-event'?")
        .hasMessageContaining("otel.*");
  }

  @Test
  void aBadValueNamesLineKeyValueAndForm() throws IOException {
    ConfigDocument d = doc("agent:\n  log-level: debug\n  shutdown-timeout: ture\n");
    assertThatThrownBy(() -> ConfigValidation.validate(CATALOG, d, Map.of()))
        .hasMessageStartingWith(
            "config file "
                + d.file()
                + " line 3: invalid agent.shutdown-timeout 'ture': use a"
                + " duration from 500ms to 30s");
    ConfigDocument b = doc("otlp.enabled: yes\n");
    assertThatThrownBy(() -> ConfigValidation.validate(CATALOG, b, Map.of()))
        .hasMessageContaining("line 1")
        .hasMessageContaining("true or false");
  }

  @Test
  void exporterKeysAreCheckedWithoutShowingSecrets() throws IOException {
    ConfigDocument typo = doc("aiprof.exporter.span.queue-sise: 64\n");
    assertThatThrownBy(() -> ConfigValidation.validate(CATALOG, typo, Map.of()))
        .hasMessageEndingWith(
            "line 1: unknown exporter setting 'aiprof.exporter.span.queue-sise': did you mean"
                + " 'aiprof.exporter.span.queue-size'?");
    ConfigDocument headers = doc("otel.exporter.otlp.headers: \"Bearer s3cr3t\"\n");
    assertThatThrownBy(() -> ConfigValidation.validate(CATALOG, headers, Map.of()))
        .hasMessageContaining("line 1: otel.exporter.otlp.headers (secret, not shown)")
        .hasMessageNotContaining("s3cr3t");
    ConfigDocument upper = doc("OTEL_SERVICE_NAME: x\n");
    assertThatThrownBy(() -> ConfigValidation.validate(CATALOG, upper, Map.of()))
        .hasMessageContaining("unknown setting 'OTEL_SERVICE_NAME'");
    ConfigDocument good =
        doc(
            """
            otel:
              exporter.otlp:
                endpoint: https://collector:4318
                headers: api-key=s3cr3t,tenant=a
              metric.export.interval: 10000
            aiprof.exporter.span.queue-size: 64
            """);
    assertThat(ConfigValidation.validate(CATALOG, good, Map.of())).isNotNull();
  }

  @Test
  void flagsWinOverTheFileAndAreCheckedToo() throws IOException {
    ConfigDocument d = doc("sched.min-event: 1ms\nsched.min-stall: 3ms\n");
    Settings s = ConfigValidation.validate(CATALOG, d, Map.of("sched.min-event", "2ms"));
    assertThat(s.get(SchedSettings.MIN_EVENT)).isEqualTo(Duration.ofMillis(2));
    assertThat(s.get(SchedSettings.MIN_STALL)).isEqualTo(Duration.ofMillis(3));
    assertThatThrownBy(() -> ConfigValidation.validate(CATALOG, d, Map.of("sched.min-evnt", "2ms")))
        .isInstanceOf(SettingException.class)
        .isNotInstanceOf(ConfigException.class);
  }
}
