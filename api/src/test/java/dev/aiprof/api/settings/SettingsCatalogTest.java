package dev.aiprof.api.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsCatalogTest {
  static final Setting<Duration> MIN_EVENT =
      Setting.duration(
          "sched.min-event",
          Duration.ofMillis(1),
          Duration.ZERO,
          Duration.ofSeconds(10),
          "episodes this long become events");
  static final Setting<Boolean> TRACE = Setting.flag("sched.trace-followed", true, "trace them");
  static final Setting<Long> SIZE =
      Setting.size("otlp.max-request-size", 4L << 20, 1, 64L << 20, "largest body");
  static final Setting<Integer> QUEUE = Setting.integer("otlp.queue-size", 8192, 1, 1 << 20, "q");
  static final Setting<String> SOURCE =
      Setting.choice("identity.source", null, "pod metadata", "kubelet", "apiserver", "none");

  private final SettingsCatalog catalog =
      SettingsCatalog.of(List.of(MIN_EVENT, TRACE, SIZE, QUEUE, SOURCE));

  @Test
  void valuesAreTypedAndDefaultsApply() {
    Settings s =
        catalog.validate(Map.of("sched.min-event", "250us", "otlp.max-request-size", "1KiB"));
    assertThat(s.get(MIN_EVENT)).isEqualTo(Duration.ofNanos(250_000));
    assertThat(s.get(SIZE)).isEqualTo(1024);
    assertThat(s.get(TRACE)).isTrue();
    assertThat(s.isSet(TRACE)).isFalse();
    assertThat(s.get(SOURCE)).isNull();
  }

  @Test
  void anUnknownKeyNamesTheNearestKnownOne() {
    assertThatThrownBy(() -> catalog.validate(Map.of("sched.min-evnt", "5ms")))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "unknown setting 'sched.min-evnt': did you mean 'sched.min-event'? (aiprof run --help"
                + " lists every key)");
    assertThatThrownBy(() -> catalog.validate(Map.of("gpu.whatever-at-all", "1")))
        .hasMessage("unknown setting 'gpu.whatever-at-all' (aiprof run --help lists every key)");
  }

  @Test
  void aBadValueNamesTheKeyTheValueAndTheForm() {
    assertThatThrownBy(() -> catalog.validate(Map.of("sched.trace-followed", "ture")))
        .hasMessage("invalid sched.trace-followed 'ture': use true or false");
    assertThatThrownBy(() -> catalog.validate(Map.of("sched.min-event", "5")))
        .hasMessage(
            "invalid sched.min-event '5': use a duration from 0 to 10s with a unit (ns, us, ms, s,"
                + " m, h), e.g. 10ms");
    assertThatThrownBy(() -> catalog.validate(Map.of("otlp.max-request-size", "2047MiB")))
        .hasMessage(
            "invalid otlp.max-request-size '2047MiB': use a size from 1B to 64MiB (B, KiB, MiB,"
                + " GiB), e.g. 4MiB");
    assertThatThrownBy(() -> catalog.validate(Map.of("otlp.queue-size", "0")))
        .hasMessage("invalid otlp.queue-size '0': use a whole number from 1 to 1048576");
    assertThatThrownBy(() -> catalog.validate(Map.of("identity.source", "kubelett")))
        .hasMessage("invalid identity.source 'kubelett': use one of kubelet, apiserver, none");
  }

  @Test
  void keysAreDeclaredOnceAndTheTableListsEveryOne() {
    assertThatThrownBy(
            () ->
                SettingsCatalog.of(
                    List.of(TRACE, Setting.flag("sched.trace-followed", false, "x"))))
        .hasMessageContaining("declared twice");
    String table = catalog.markdown();
    for (Setting<?> s : catalog.all()) {
      assertThat(table).contains("| `" + s.key() + "` |");
    }
    assertThat(table).contains("| `sched.min-event` | `1ms` | a duration from 0 to 10s");
    assertThat(catalog.text()).hasSize(5);
  }
}
