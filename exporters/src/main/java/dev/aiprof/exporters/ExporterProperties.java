package dev.aiprof.exporters;

import dev.aiprof.api.http.Loopback;
import dev.aiprof.exporters.file.FileSettings;
import dev.aiprof.exporters.file.FileSpanExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /**
   * The agent's key that lets the metrics and health endpoint listen on a non-loopback address
   * ({@code AIPROF_EXPORTER_PROMETHEUS_LISTEN_PUBLIC=true}); without it such an address fails at
   * start.
   */
  public static final String PROMETHEUS_LISTEN_PUBLIC = "aiprof.exporter.prometheus.listen-public";

  /**
   * The SDK's key for the OTLP metric exporters' histogram aggregation; the embedded file exporter
   * reads it too.
   */
  public static final String HISTOGRAM_AGGREGATION =
      "otel.exporter.otlp.metrics.default.histogram.aggregation";

  /**
   * The agent's key for the finest scale of base-2 exponential histograms (the SDK's is 20: 2^20
   * buckets per doubling). At the default, {@value #DEFAULT_HISTOGRAM_MAX_SCALE}, a bucket is 9%
   * wide, as Prometheus's default native-histogram schema. Finer buckets tell apart durations that
   * no one reads apart, and a backend that stores each bucket as a series (VictoriaMetrics' {@code
   * vmrange}, with bounds of four digits) merges them or gets a series per bucket.
   */
  public static final String HISTOGRAM_MAX_SCALE = "aiprof.exporter.metrics.histogram-max-scale";

  public static final int DEFAULT_HISTOGRAM_MAX_SCALE = 3;

  /** The SDK's default number of buckets of an exponential histogram, kept. */
  private static final int MAX_BUCKETS = 160;

  /** The SDK's cardinality limit: the most series of one instrument per reader. */
  public static final String CARDINALITY_LIMIT = "otel.java.metrics.cardinality.limit";

  /**
   * The agent's default for {@link #CARDINALITY_LIMIT} (the SDK's is 2000): 100 pods of 10 phase
   * names with six time categories each are 6000 series of {@code aiprof.phase.time}. Beyond it the
   * SDK merges new series into one with {@code otel.metric.overflow=true}; the agent's own cap of
   * phase names per workload ({@code metrics.max-phase-names}) bites first for any one workload.
   */
  public static final int DEFAULT_CARDINALITY_LIMIT = 20_000;

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
    // The agent's own histograms (aiprof.phase.duration) exponential over OTLP and in the files,
    // no finer than HISTOGRAM_MAX_SCALE; the Prometheus reader keeps explicit buckets (each
    // instrument's bucket advice).
    d.put(HISTOGRAM_AGGREGATION, "BASE2_EXPONENTIAL_BUCKET_HISTOGRAM");
    d.put(HISTOGRAM_MAX_SCALE, Integer.toString(DEFAULT_HISTOGRAM_MAX_SCALE));
    d.put(CARDINALITY_LIMIT, Integer.toString(DEFAULT_CARDINALITY_LIMIT));
    // Phases are recorded on the correlation thread, outside any span: nothing to sample, and a
    // reservoir per series costs memory.
    d.put("otel.metrics.exemplar.filter", "always_off");
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
    Secrets.checkHeaders(config);
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
    if (metrics.contains(PROMETHEUS)) {
      String host = out.getOrDefault(PROMETHEUS_HOST, config.getString(PROMETHEUS_HOST));
      Loopback.check(
          o.prometheusAddress() != null ? "--prometheus-address" : PROMETHEUS_HOST,
          host == null ? "127.0.0.1" : host,
          PROMETHEUS_LISTEN_PUBLIC,
          config.getBoolean(PROMETHEUS_LISTEN_PUBLIC, false));
    }
    return out;
  }

  /**
   * The histogram aggregation of an exporter whose own is the SDK's default base-2 exponential one
   * (the OTLP exporters' and the file exporter's with {@link #HISTOGRAM_AGGREGATION} so): the same
   * with at most {@link #HISTOGRAM_MAX_SCALE}; empty for any other exporter.
   *
   * @throws ConfigurationException on a scale outside the SDK's -10 to 20, naming the fix
   */
  public static Optional<Aggregation> histograms(MetricExporter x, ConfigProperties config) {
    if (x.getDefaultAggregation(InstrumentType.HISTOGRAM)
        != Aggregation.base2ExponentialBucketHistogram()) {
      return Optional.empty();
    }
    int scale = config.getInt(HISTOGRAM_MAX_SCALE, DEFAULT_HISTOGRAM_MAX_SCALE);
    if (scale < -10 || scale > 20) {
      throw new ConfigurationException(
          "invalid "
              + HISTOGRAM_MAX_SCALE
              + " '"
              + scale
              + "': use -10 to 20 (3: buckets 9% wide, 20: the SDK's finest)");
    }
    return Optional.of(Aggregation.base2ExponentialBucketHistogram(MAX_BUCKETS, scale));
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
