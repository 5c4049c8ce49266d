package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.SettingsCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JfrSettingsTest {
  private static final SettingsCatalog CATALOG = SettingsCatalog.of(JfrSettings.ALL);

  private static JfrSettings parse(Map<String, String> raw) {
    return JfrSettings.from(CATALOG.validate(raw));
  }

  @Test
  void defaultsSelectNothingAndUseTheAgentsJcmd() {
    JfrSettings s = parse(Map.of());
    assertThat(s.selectsNothing()).isTrue();
    assertThat(s.mechanism()).isEqualTo(JfrSettings.Mechanism.AUTO);
    assertThat(s.rescan()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.minDuration()).isZero();
    assertThat(s.queueCapacity()).isEqualTo(4096);
    assertThat(s.jcmd()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
  }

  @Test
  void parsesEveryKey() {
    JfrSettings s =
        parse(
            Map.of(
                "jfr.pids", " 12, 34,,56 ",
                "jfr.select", "all",
                "jfr.mechanism", "jmx",
                "jfr.rescan", "500ms",
                "jfr.flush-interval", "250ms",
                "jfr.min-duration", "1ms",
                "jfr.queue", "10",
                "jfr.jcmd", "/opt/jdk/bin/jcmd",
                "jfr.timeout", "5s"));
    assertThat(s.pids()).containsExactlyInAnyOrder(12, 34, 56);
    assertThat(s.all()).isTrue();
    assertThat(s.selectsNothing()).isFalse();
    assertThat(s.mechanism()).isEqualTo(JfrSettings.Mechanism.JMX);
    assertThat(s.rescan()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.flushInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.minDuration()).isEqualTo(Duration.ofMillis(1));
    assertThat(s.queueCapacity()).isEqualTo(10);
    assertThat(s.jcmd()).isEqualTo(Path.of("/opt/jdk/bin/jcmd"));
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badValuesNameTheKeyAndTheFix() {
    assertThatThrownBy(() -> parse(Map.of("jfr.pids", "12,abc")))
        .isInstanceOf(SettingException.class)
        .hasMessage("invalid jfr.pids '12,abc': use comma-separated whole numbers");
    assertThatThrownBy(() -> parse(Map.of("jfr.pids", "-3")))
        .hasMessageStartingWith("invalid jfr.pids '-3'");
    assertThatThrownBy(() -> parse(Map.of("jfr.select", "some")))
        .hasMessage("invalid jfr.select 'some': use one of all, none");
    assertThatThrownBy(() -> parse(Map.of("jfr.mechanism", "agent")))
        .hasMessage("invalid jfr.mechanism 'agent': use one of auto, repository, jmx");
    assertThatThrownBy(() -> parse(Map.of("jfr.mechanism", "JMX")))
        .as("choices are exact")
        .hasMessageStartingWith("invalid jfr.mechanism 'JMX'");
    assertThatThrownBy(() -> parse(Map.of("jfr.queue", "0")))
        .hasMessage("invalid jfr.queue '0': use a whole number from 1 to 1048576");
    assertThatThrownBy(() -> parse(Map.of("jfr.rescan", "often")))
        .hasMessageStartingWith("invalid jfr.rescan 'often'");
  }
}
