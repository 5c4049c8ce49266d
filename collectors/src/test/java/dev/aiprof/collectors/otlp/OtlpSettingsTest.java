package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.SettingsCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpSettingsTest {
  private static final SettingsCatalog CATALOG = SettingsCatalog.of(OtlpSettings.ALL);

  private static OtlpSettings parse(Map<String, String> raw) {
    return OtlpSettings.from(CATALOG.validate(raw));
  }

  @Test
  void defaultsAreLoopbackOnTheStandardPorts() {
    OtlpSettings s = parse(Map.of());
    assertThat(s.enabled()).isTrue();
    assertThat(s.grpc()).isEqualTo(new ListenAddress("127.0.0.1", 4317));
    assertThat(s.http()).isEqualTo(new ListenAddress("127.0.0.1", 4318));
    assertThat(s.queueSpans()).isEqualTo(8192);
    assertThat(s.maxRequestBytes()).isEqualTo(4 << 20);
  }

  @Test
  void readsEveryKey() {
    OtlpSettings s =
        parse(
            Map.of(
                "otlp.enabled", "FALSE",
                "otlp.grpc-address", "[::1]:0",
                "otlp.http-address", "off",
                "otlp.queue-size", "100",
                "otlp.max-request-size", "512KiB"));
    assertThat(s.enabled()).isFalse();
    assertThat(s.grpc()).isEqualTo(new ListenAddress("::1", 0));
    assertThat(s.grpc().toString()).isEqualTo("[::1]:0");
    assertThat(s.http().off()).isTrue();
    assertThat(s.queueSpans()).isEqualTo(100);
    assertThat(s.maxRequestBytes()).isEqualTo(512 * 1024);
    assertThat(parse(Map.of("otlp.max-request-size", "1000")).maxRequestBytes()).isEqualTo(1000);
    assertThat(parse(Map.of("otlp.max-request-size", "16MiB")).maxRequestBytes())
        .isEqualTo(16 << 20);
  }

  @Test
  void everyKeyIsTheReceiversAndTheAddressDefaultsPrintAsWritten() {
    assertThat(OtlpSettings.ALL).allSatisfy(k -> assertThat(k.owner()).isEqualTo("otlp"));
    assertThat(OtlpSettings.GRPC_ADDRESS.defaultText()).isEqualTo("127.0.0.1:4317");
    assertThat(OtlpSettings.HTTP_ADDRESS.defaultText()).isEqualTo("127.0.0.1:4318");
    assertThat(OtlpSettings.MAX_REQUEST_SIZE.defaultText()).isEqualTo("4MiB");
  }

  @Test
  void badValuesNameTheKeyTheValueAndTheForm() {
    assertThatThrownBy(() -> parse(Map.of("otlp.enabled", "yes")))
        .isInstanceOf(SettingException.class)
        .hasMessage("invalid otlp.enabled 'yes': use true or false");
    assertThatThrownBy(() -> parse(Map.of("otlp.grpc-address", "4317")))
        .hasMessage(
            "invalid otlp.grpc-address '4317': give a host and a port (host:port, e.g."
                + " 127.0.0.1:4317; port 0 picks a free port; 'off' disables it)");
    assertThatThrownBy(() -> parse(Map.of("otlp.http-address", "localhost:70000")))
        .hasMessageStartingWith(
            "invalid otlp.http-address 'localhost:70000': the port must be a number from 0 to"
                + " 65535");
    assertThatThrownBy(() -> parse(Map.of("otlp.http-address", "::1:4318")))
        .hasMessageContaining("put an IPv6 address in brackets, e.g. [::1]:4317");
    assertThatThrownBy(() -> parse(Map.of("otlp.http-address", ":4318")))
        .hasMessageContaining("give a host and a port");
    assertThatThrownBy(() -> parse(Map.of("otlp.queue-size", "0")))
        .hasMessage("invalid otlp.queue-size '0': use a whole number from 1 to 1048576");
    assertThatThrownBy(() -> parse(Map.of("otlp.max-request-size", "4GB")))
        .hasMessage(
            "invalid otlp.max-request-size '4GB': use a size from 1B to 64MiB (B, KiB, MiB,"
                + " GiB), e.g. 4MiB");
    assertThatThrownBy(() -> parse(Map.of("otlp.max-request-size", "4096MiB")))
        .hasMessageStartingWith("invalid otlp.max-request-size '4096MiB'");
  }

  @Test
  void aMisspeltKeyIsRefusedNamingTheNearestOne() {
    assertThatThrownBy(() -> parse(Map.of("otlp.queue-sise", "10")))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith(
            "unknown setting 'otlp.queue-sise': did you mean 'otlp.queue-size'?");
  }
}
