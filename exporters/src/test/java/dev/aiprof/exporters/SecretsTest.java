package dev.aiprof.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void headerTokenAndCredentialKeysAreSecret() {
    assertThat(Secrets.isSecret("otel.exporter.otlp.headers")).isTrue();
    assertThat(Secrets.isSecret("OTEL_EXPORTER_OTLP_TRACES_HEADERS")).isTrue();
    assertThat(Secrets.isSecret("identity.token-file")).isTrue();
    assertThat(Secrets.isSecret("x.api-key")).isTrue();
    assertThat(Secrets.isSecret("otel.exporter.otlp.endpoint")).isFalse();
  }

  @Test
  void theSdksMessageLosesTheValue() {
    assertThat(Secrets.redact("Invalid map property: otel.exporter.otlp.headers=Bearer SECRET123"))
        .isEqualTo("Invalid map property: otel.exporter.otlp.headers=<redacted>");
    assertThat(Secrets.redact("bad Authorization: Bearer abc\nnext line"))
        .isEqualTo("bad Authorization: <redacted>\nnext line");
    assertThat(Secrets.redact("invalid otel.exporter.otlp.endpoint 'x'"))
        .isEqualTo("invalid otel.exporter.otlp.endpoint 'x'");
  }

  @Test
  void aMalformedHeaderSettingIsNamedNotShown() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                Secrets.checkHeaders(
                    DefaultConfigProperties.createFromMap(
                        Map.of("otel.exporter.otlp.metrics.headers", "Bearer SECRET123"))));
    assertThat(e.getMessage())
        .startsWith(
            "invalid otel.exporter.otlp.metrics.headers (OTEL_EXPORTER_OTLP_METRICS_HEADERS; value"
                + " not shown")
        .doesNotContain("SECRET123");
  }
}
