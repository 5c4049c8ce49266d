package dev.aiprof.exporters;

import dev.aiprof.exporters.file.FileSettings;
import dev.aiprof.exporters.file.FileSpanExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration properties the agent adds to OpenTelemetry's autoconfiguration. Precedence,
 * highest first: the agent's flags ({@link #overrides}), system properties, environment variables
 * ({@code OTEL_*}, {@code AIPROF_*}), the config file's settings, the built-in {@link #defaults}.
 *
 * <p>Exporter choice when nobody chose: traces go over OTLP when an OTLP endpoint is configured
 * (flag, {@code OTEL_EXPORTER_OTLP_ENDPOINT} or the per-signal variable) and to the embedded file
 * exporter otherwise; metrics likewise, plus the Prometheus endpoint unless {@code
 * --no-prometheus}. Pure functions.
 */
public final class ExporterProperties {
  public static final String TRACES_EXPORTER = "otel.traces.exporter";
  public static final String METRICS_EXPORTER = "otel.metrics.exporter";
  public static final String PROMETHEUS = "prometheus";
  static final String PROMETHEUS_HOST = "otel.exporter.prometheus.host";
  static final String PROMETHEUS_PORT = "otel.exporter.prometheus.port";

  private ExporterProperties() {}

  /** The built-in defaults, with the config file's settings over them. */
  public static Map<String, String> defaults(ExporterOptions o) {
    Map<String, String> d = new HashMap<>();
    d.put("otel.service.name", "aiprof");
    d.put(PROMETHEUS_HOST, "127.0.0.1");
    d.put(PROMETHEUS_PORT, "9464");
    d.put("otel.logs.exporter", "none");
    // The specification's default (the Java SDK's own is still grpc): port 4318, /v1/<signal>.
    d.put("otel.exporter.otlp.protocol", "http/protobuf");
    // The SDK's own health metrics under their semantic-convention names, with units.
    d.put("otel.experimental.sdk.telemetry.version", "latest");
    d.put(FileSettings.DIRECTORY, FileSettings.defaultDirectory().toString());
    d.putAll(o.settings());
    if (o.outputDir() != null) {
      d.put(FileSettings.DIRECTORY, o.outputDir().toString());
    }
    return d;
  }

  /**
   * What the flags set, and the exporters when neither the environment nor a system property chose
   * them. {@code config} holds everything else, merged.
   *
   * @throws IllegalArgumentException on a malformed flag value, naming it and the fix
   */
  public static Map<String, String> overrides(ExporterOptions o, ConfigProperties config) {
    Map<String, String> out = new HashMap<>();
    if (o.otlpEndpoint() != null) {
      out.put("otel.exporter.otlp.endpoint", endpoint(o.otlpEndpoint()));
    }
    if (o.prometheusAddress() != null) {
      HostPort hp = HostPort.parse("--prometheus-address", o.prometheusAddress());
      out.put(PROMETHEUS_HOST, hp.host());
      out.put(PROMETHEUS_PORT, Integer.toString(hp.port()));
    }
    if (config.getString(TRACES_EXPORTER) == null) {
      out.put(TRACES_EXPORTER, otlpConfigured(o, config, "traces") ? "otlp" : file());
    }
    List<String> metrics = new ArrayList<>(config.getList(METRICS_EXPORTER));
    if (metrics.isEmpty()) {
      metrics.add(otlpConfigured(o, config, "metrics") ? "otlp" : file());
      if (o.prometheus() == null || o.prometheus()) {
        metrics.add(PROMETHEUS);
      }
    }
    if (Boolean.FALSE.equals(o.prometheus())) {
      metrics.remove(PROMETHEUS);
    } else if (Boolean.TRUE.equals(o.prometheus()) && !metrics.contains(PROMETHEUS)) {
      metrics.remove("none");
      metrics.add(PROMETHEUS);
    }
    out.put(METRICS_EXPORTER, metrics.isEmpty() ? "none" : String.join(",", metrics));
    return out;
  }

  private static String file() {
    return FileSpanExporterProvider.NAME;
  }

  private static boolean otlpConfigured(ExporterOptions o, ConfigProperties c, String signal) {
    return o.otlpEndpoint() != null
        || c.getString("otel.exporter.otlp.endpoint") != null
        || c.getString("otel.exporter.otlp." + signal + ".endpoint") != null;
  }

  private static String endpoint(String text) {
    try {
      URI u = new URI(text);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return text;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "invalid --otlp-endpoint '"
            + text
            + "': use an http(s) URL, e.g. http://127.0.0.1:4318 (OTLP/HTTP) or http://127.0.0.1:4317"
            + " with OTEL_EXPORTER_OTLP_PROTOCOL=grpc");
  }
}
