package dev.aiprof.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExporterPropertiesTest {
  private static ExporterOptions flags(String endpoint, Boolean prometheus, String address) {
    return new ExporterOptions(endpoint, prometheus, address, null, Map.of(), "host", null, "1");
  }

  /** What autoconfigure would see: our defaults under the given "environment". */
  private static ConfigProperties config(ExporterOptions o, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(ExporterProperties.defaults(o));
    all.putAll(env);
    return DefaultConfigProperties.createFromMap(all);
  }

  private static Map<String, String> overrides(ExporterOptions o, Map<String, String> env) {
    return ExporterProperties.overrides(o, config(o, env));
  }

  @Test
  void withNoEndpointEverythingGoesToFilesAndPrometheus() {
    Map<String, String> o = overrides(flags(null, null, null), Map.of());
    assertThat(o)
        .containsEntry("otel.traces.exporter", "aiprof-file")
        .containsEntry("otel.metrics.exporter", "aiprof-file,prometheus");
  }

  @Test
  void anEndpointFromTheEnvironmentSwitchesToOtlp() {
    Map<String, String> o =
        overrides(
            flags(null, null, null),
            Map.of("otel.exporter.otlp.endpoint", "http://collector:4318"));
    assertThat(o)
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.metrics.exporter", "otlp,prometheus");
    Map<String, String> tracesOnly =
        overrides(
            flags(null, false, null),
            Map.of("otel.exporter.otlp.traces.endpoint", "http://tempo:4318/v1/traces"));
    assertThat(tracesOnly)
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.metrics.exporter", "aiprof-file");
  }

  @Test
  void theEnvironmentsExporterChoiceWinsOverOurDefault() {
    Map<String, String> o =
        overrides(
            flags(null, null, null),
            Map.of("otel.traces.exporter", "console", "otel.metrics.exporter", "otlp"));
    assertThat(o)
        .doesNotContainKey("otel.traces.exporter")
        .containsEntry("otel.metrics.exporter", "otlp");
  }

  @Test
  void flagsWinOverTheEnvironment() {
    Map<String, String> o =
        overrides(
            flags("http://127.0.0.1:4318", true, "0.0.0.0:9999"),
            Map.of(
                "otel.exporter.otlp.endpoint",
                "http://elsewhere:4318",
                "otel.metrics.exporter",
                "otlp",
                "otel.exporter.prometheus.port",
                "1234",
                ExporterProperties.PROMETHEUS_LISTEN_PUBLIC,
                "true"));
    assertThat(o)
        .containsEntry("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318")
        .containsEntry("otel.exporter.prometheus.host", "0.0.0.0")
        .containsEntry("otel.exporter.prometheus.port", "9999")
        .containsEntry("otel.metrics.exporter", "otlp,prometheus");
    assertThat(
            overrides(flags(null, false, null), Map.of("otel.metrics.exporter", "otlp,prometheus")))
        .containsEntry("otel.metrics.exporter", "otlp");
  }

  @Test
  void defaultsAreLoopbackAndTheOutputDirectoryFlagAndConfigFileSitUnderTheEnvironment() {
    ExporterOptions o =
        new ExporterOptions(
            null,
            null,
            null,
            Path.of("/data/otlp"),
            Map.of("otel.service.name", "from-config-file"),
            "h",
            null,
            "1");
    Map<String, String> d = ExporterProperties.defaults(o);
    assertThat(d)
        .containsEntry("otel.exporter.prometheus.host", "127.0.0.1")
        .containsEntry("otel.exporter.prometheus.port", "9464")
        .containsEntry("otel.exporter.otlp.protocol", "http/protobuf")
        .containsEntry("aiprof.exporter.file.directory", "/data/otlp")
        .containsEntry("otel.service.name", "from-config-file");
  }

  @Test
  void badFlagValuesNameTheFix() {
    assertThatThrownBy(() -> overrides(flags("collector:4318", null, null), Map.of()))
        .hasMessageStartingWith("invalid --otlp-endpoint 'collector:4318': use an http(s) URL");
    assertThatThrownBy(() -> overrides(flags(null, null, "localhost"), Map.of()))
        .hasMessageStartingWith("invalid --prometheus-address 'localhost': use host:port");
  }

  @Test
  void listenAddresses() {
    assertThat(HostPort.parse("x", "127.0.0.1:9464")).isEqualTo(new HostPort("127.0.0.1", 9464));
    assertThat(HostPort.parse("x", "[::1]:9464")).isEqualTo(new HostPort("::1", 9464));
    assertThat(HostPort.parse("x", ":9464")).isEqualTo(new HostPort("127.0.0.1", 9464));
    assertThatThrownBy(() -> HostPort.parse("x", "h:99999")).hasMessageContaining("host:port");
  }

  @Test
  void histogramsAreExponentialOverOtlpAndTheSdksLimitsAreTheAgents() {
    Map<String, String> d = ExporterProperties.defaults(flags(null, null, null));
    assertThat(d)
        .containsEntry(
            "otel.exporter.otlp.metrics.default.histogram.aggregation",
            "BASE2_EXPONENTIAL_BUCKET_HISTOGRAM")
        .containsEntry("otel.java.metrics.cardinality.limit", "20000")
        .containsEntry("otel.metrics.exemplar.filter", "always_off");
    ExporterOptions file =
        new ExporterOptions(
            null,
            null,
            null,
            null,
            Map.of(
                "otel.exporter.otlp.metrics.default.histogram.aggregation",
                "explicit_bucket_histogram"),
            "host",
            null,
            "1");
    assertThat(ExporterProperties.defaults(file))
        .as("the config file's settings win over the built-in defaults")
        .containsEntry(
            "otel.exporter.otlp.metrics.default.histogram.aggregation",
            "explicit_bucket_histogram");
  }
}
