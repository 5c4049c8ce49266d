package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpSettingsTest {
  @Test
  void defaultsAreLoopbackOnTheStandardPorts() {
    OtlpSettings s = OtlpSettings.defaults();
    assertThat(s.enabled()).isTrue();
    assertThat(s.grpc()).isEqualTo(new ListenAddress("127.0.0.1", 4317));
    assertThat(s.http()).isEqualTo(new ListenAddress("127.0.0.1", 4318));
    assertThat(s.queueSpans()).isEqualTo(8192);
    assertThat(s.maxRequestBytes()).isEqualTo(4 << 20);
  }

  @Test
  void readsEveryKey() {
    OtlpSettings s =
        OtlpSettings.parse(
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
    assertThat(OtlpSettings.parse(Map.of("otlp.max-request-size", "1000")).maxRequestBytes())
        .isEqualTo(1000);
    assertThat(OtlpSettings.parse(Map.of("otlp.max-request-size", "16MiB")).maxRequestBytes())
        .isEqualTo(16 << 20);
  }

  @Test
  void badValuesNameTheKeyTheValueAndTheForm() {
    assertThatThrownBy(() -> OtlpSettings.parse(Map.of("otlp.enabled", "yes")))
        .hasMessage("invalid otlp.enabled 'yes': use true or false");
    assertThatThrownBy(() -> OtlpSettings.parse(Map.of("otlp.grpc-address", "4317")))
        .hasMessage(
            "invalid otlp.grpc-address '4317': give a host and a port (host:port, e.g."
                + " 127.0.0.1:4317; port 0 picks a free port; 'off' disables it)");
    assertThatThrownBy(() -> OtlpSettings.parse(Map.of("otlp.http-address", "localhost:70000")))
        .hasMessageStartingWith(
            "invalid otlp.http-address 'localhost:70000': the port must be a number from 0 to"
                + " 65535");
    assertThatThrownBy(() -> OtlpSettings.parse(Map.of("otlp.http-address", "::1:4318")))
        .hasMessageContaining("put an IPv6 address in brackets, e.g. [::1]:4317");
    assertThatThrownBy(() -> OtlpSettings.parse(Map.of("otlp.http-address", ":4318")))
        .hasMessageContaining("give a host and a port");
    assertThatThrownBy(() -> OtlpSettings.parse(Map.of("otlp.queue-size", "0")))
        .hasMessage("invalid otlp.queue-size '0': use a number of spans from 1, e.g. 8192");
    assertThatThrownBy(() -> OtlpSettings.parse(Map.of("otlp.max-request-size", "4GB")))
        .hasMessage(
            "invalid otlp.max-request-size '4GB': use a size from 1 byte to 2047MiB in B, KiB or"
                + " MiB, e.g. 4MiB");
    assertThatThrownBy(() -> OtlpSettings.parse(Map.of("otlp.max-request-size", "4096MiB")))
        .hasMessageStartingWith("invalid otlp.max-request-size '4096MiB'");
  }
}
