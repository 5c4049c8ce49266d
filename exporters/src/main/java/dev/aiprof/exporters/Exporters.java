package dev.aiprof.exporters;

import dev.aiprof.api.health.HealthSource;
import dev.aiprof.api.http.HttpServers;
import dev.aiprof.api.log.ThrottledLog;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.exporters.file.FileMetricExporter;
import dev.aiprof.exporters.file.FileSettings;
import dev.aiprof.exporters.file.FileSpanExporter;
import dev.aiprof.exporters.metrics.CountingMetricExporter;
import dev.aiprof.exporters.metrics.HistogramLayout;
import dev.aiprof.exporters.metrics.MetricsBridge;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import dev.aiprof.exporters.server.MetricsServer;
import dev.aiprof.exporters.traces.SpanQueue;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The agent's OpenTelemetry export, set up by the SDK's autoconfiguration (so every {@code OTEL_*}
 * variable works) with the agent's defaults and flags ({@link ExporterProperties}): metrics from
 * the {@link MetricsBridge} and the agent's own instruments ({@link #meter()}) to every configured
 * reader (OTLP, the embedded file exporter, Prometheus), spans through a bounded {@link SpanQueue}
 * to the configured span exporters.
 *
 * <p>Lifecycle: {@link #start}, add metric sources to {@link #metrics()}, {@link #offer} spans,
 * {@link #close} (exports queued spans, makes a last metric collection and export, stops the
 * Prometheus endpoint). The bridge's sources must stay usable until close returns. Thread-safe.
 */
public final class Exporters implements AutoCloseable {
  /** The instrumentation scope of everything the agent exports. */
  public static final String SCOPE = "dev.aiprof";

  private final MetricsBridge bridge;
  private final String version;
  private final List<SpanExporter> spanExporters = new CopyOnWriteArrayList<>();
  private final List<CountingMetricExporter> metricExporters = new CopyOnWriteArrayList<>();
  private final List<String> chosen = new CopyOnWriteArrayList<>();
  private volatile SpanQueue.Settings queueSettings = SpanQueue.Settings.defaults();
  private OpenTelemetrySdk sdk;
  private Resource resource;
  private SpanQueue spans;
  private volatile MetricsServer metricsServer;

  private Exporters(MetricsBridge bridge, String version) {
    this.bridge = bridge;
    this.version = version;
  }

  /**
   * Configures and starts the SDK.
   *
   * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException on a bad {@code OTEL_*}
   *     or {@code aiprof.exporter.*} value
   * @throws IllegalArgumentException on a bad flag value
   */
  public static Exporters start(ExporterOptions options, WorkloadAttributes workloads) {
    return start(options, workloads, HistogramLayout.DEFAULT, Exporters::epochNanos);
  }

  static Exporters start(
      ExporterOptions options,
      WorkloadAttributes workloads,
      HistogramLayout layout,
      LongSupplier clock) {
    HttpServers.configure(); // before the SDK's Prometheus server fixes the JDK's limits
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder(SCOPE).setVersion(options.version()).build();
    Exporters e =
        new Exporters(new MetricsBridge(workloads, layout, scope, clock), options.version());
    Resource agent = AgentResource.of(options);
    AutoConfiguredOpenTelemetrySdk auto;
    try {
      auto = configure(options, e, agent);
    } catch (ConfigurationException x) {
      e.closeServer();
      throw Secrets.redacted(x);
    } catch (RuntimeException x) {
      e.closeServer();
      throw x;
    }
    e.sdk = auto.getOpenTelemetrySdk();
    if (!e.spanExporters.isEmpty()) {
      e.spans = new SpanQueue(SpanExporter.composite(e.spanExporters), e.queueSettings);
    }
    e.bridge.addSource(e::collect);
    return e;
  }

  private static AutoConfiguredOpenTelemetrySdk configure(
      ExporterOptions options, Exporters e, Resource agent) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .disableShutdownHook()
        .addPropertiesSupplier(() -> ExporterProperties.defaults(options))
        .addPropertiesCustomizer(c -> ExporterProperties.overrides(options, c))
        .addResourceCustomizer((r, c) -> e.resource = agent.merge(r))
        .addMeterProviderCustomizer((b, c) -> b.registerMetricProducer(e.bridge))
        .addSpanExporterCustomizer((x, c) -> e.spanExporter(x, c))
        .addMetricExporterCustomizer((x, c) -> e.metricExporter(x, c))
        .addMetricReaderCustomizer((r, c) -> e.metricReader(r, c))
        .build();
  }

  private SpanExporter spanExporter(SpanExporter x, ConfigProperties c) {
    queueSettings =
        new SpanQueue.Settings(
            c.getInt("aiprof.exporter.span.queue-size", 2048),
            c.getInt("aiprof.exporter.span.batch-size", 512),
            c.getDuration("aiprof.exporter.span.delay", Duration.ofSeconds(1)),
            c.getDuration("aiprof.exporter.span.timeout", Duration.ofSeconds(30)),
            c.getLong("aiprof.exporter.span.queue-bytes", SpanQueue.Settings.DEFAULT_MAX_BYTES));
    spanExporters.add(x);
    chosen.add("traces: " + describe(x, c));
    return x;
  }

  private CountingMetricExporter metricExporter(
      io.opentelemetry.sdk.metrics.export.MetricExporter x, ConfigProperties config) {
    CountingMetricExporter counting =
        new CountingMetricExporter(x, ExporterProperties.histograms(x, config).orElse(null));
    metricExporters.add(counting);
    chosen.add("metrics: " + describe(x, config));
    return counting;
  }

  /**
   * The SDK's Prometheus endpoint replaced by the agent's {@link MetricsServer} (the SDK's server
   * has a listen backlog of 3 and no request timeouts: one slow client stalls it), which also
   * answers {@code /healthz} and {@code /readyz}. Its reader is the SDK's, rebuilt:
   *
   * <ul>
   *   <li>without {@code target_info}: the 1.62 exporter writes it without HELP text, which {@code
   *       promtool check metrics} rejects; Prometheus's own job and instance labels identify the
   *       agent, and workload labels are on every series;
   *   <li>without the {@code otel_scope_name}/{@code otel_scope_version} labels on every series:
   *       the agent's metrics all have the scope {@value #SCOPE} and the SDK's own ({@code
   *       otel_sdk_*}) names of their own, so the labels tell nothing apart, and they are about 60
   *       bytes of each line of a scrape.
   * </ul>
   */
  private MetricReader metricReader(MetricReader r, ConfigProperties c) {
    if (!(r instanceof PrometheusHttpServer p)) {
      return r;
    }
    p.shutdown().join(5, TimeUnit.SECONDS);
    PrometheusMetricReader reader =
        PrometheusMetricReader.builder()
            .setTargetInfoMetricEnabled(false)
            .setOtelScopeLabelsEnabled(false)
            .build();
    String host = c.getString(ExporterProperties.PROMETHEUS_HOST);
    int port = c.getInt(ExporterProperties.PROMETHEUS_PORT, 9464);
    try {
      metricsServer = MetricsServer.start(new InetSocketAddress(host, port), reader);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve /metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    chosen.add("metrics: Prometheus on http://" + host + ":" + port + "/metrics");
    return reader;
  }

  /**
   * Answers the metrics endpoint's {@code /healthz} from {@code liveness} and {@code /readyz} from
   * {@code readiness} (both {@link HealthSource#NONE} until set); nothing when Prometheus is off.
   */
  public void health(HealthSource liveness, HealthSource readiness) {
    MetricsServer m = metricsServer;
    if (m != null) {
      m.health(liveness, readiness);
    }
  }

  /** Where {@code /metrics}, {@code /healthz} and {@code /readyz} are served, when they are. */
  public Optional<InetSocketAddress> metricsAddress() {
    MetricsServer m = metricsServer;
    return m == null ? Optional.empty() : Optional.of(m.address());
  }

  /** Where metric sources are added. */
  public MetricsBridge metrics() {
    return bridge;
  }

  /**
   * The meter of the agent's own instruments (scope {@value #SCOPE} and the agent's version).
   * Unlike the bridge's metrics, which reach every reader aggregated alike, what is recorded here
   * is aggregated by each reader its own way: histograms base-2 exponential over OTLP and in the
   * files ({@code otel.exporter.otlp.metrics.default.histogram.aggregation}), explicit buckets (the
   * instrument's advice) for Prometheus.
   */
  public Meter meter() {
    return sdk.getMeterProvider().meterBuilder(SCOPE).setInstrumentationVersion(version).build();
  }

  /** The resource of the agent's own telemetry (service.name, host.name...). */
  public Resource resource() {
    return resource == null ? Resource.getDefault() : resource;
  }

  /** The span queue, when a traces exporter is configured ({@code otel.traces.exporter}). */
  public Optional<SpanQueue> spans() {
    return Optional.ofNullable(spans);
  }

  /** Queues a span; false (counted) when the queue is full or there is no traces exporter. */
  public boolean offer(SpanData span) {
    return spans != null && spans.offer(span);
  }

  /** Each pushing exporter's last success and failure (spans, then metrics), for readiness. */
  public List<LastExport> lastExports() {
    List<LastExport> out = new java.util.ArrayList<>();
    if (spans != null) {
      out.add(spans.last());
    }
    metricExporters.forEach(m -> out.add(m.last()));
    return out;
  }

  /** The chosen exporters, for the start-up log line. */
  public List<String> describe() {
    return List.copyOf(chosen);
  }

  /** The exporters' own counters: spans, metric exports, file output, failed sources. */
  public void collect(MetricSink sink) {
    if (spans != null) {
      spans.collect(sink);
    }
    long ok = 0;
    long failed = 0;
    for (CountingMetricExporter m : metricExporters) {
      ok += m.successes();
      failed += m.failures();
      if (m.delegate() instanceof FileMetricExporter f) {
        f.collect(sink);
      }
    }
    Attributes metrics = Attributes.of(ExportMetrics.SIGNAL, "metrics");
    sink.counter(
        ExportMetrics.BATCHES,
        metrics.toBuilder().put(ExportMetrics.OUTCOME, "success").build(),
        ok);
    sink.counter(
        ExportMetrics.BATCHES,
        metrics.toBuilder().put(ExportMetrics.OUTCOME, "failure").build(),
        failed);
    for (SpanExporter s : spanExporters) {
      if (s instanceof FileSpanExporter f) {
        f.collect(sink);
      }
    }
    sink.counter(ExportMetrics.SOURCE_FAILURES, Attributes.empty(), bridge.sourceFailures());
    sink.counter(ExportMetrics.CONFLICTS, Attributes.empty(), bridge.conflicts());
    MetricsServer m = metricsServer;
    if (m != null) {
      var r = m.refusals();
      sink.counter(ExportMetrics.SCRAPES_REFUSED, reason("slow"), r.slow());
      sink.counter(ExportMetrics.SCRAPES_REFUSED, reason("large"), r.large());
      sink.counter(ExportMetrics.SCRAPES_REFUSED, reason("failed"), r.failed());
    }
    ThrottledLog.report(sink);
  }

  private static Attributes reason(String r) {
    return Attributes.of(ExportMetrics.REASON, r);
  }

  /** Exports queued spans and makes a metric export now. */
  public boolean flush(Duration timeout) {
    boolean spansDone = spans == null || spans.flush(timeout);
    return sdk.getSdkMeterProvider()
            .forceFlush()
            .join(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .isSuccess()
        && spansDone;
  }

  /**
   * Exports queued spans, then shuts the SDK down (a last metric collection and export, exporters
   * and the Prometheus endpoint closed), each step within {@code timeout}.
   */
  public void close(Duration timeout) {
    if (spans != null) {
      spans.close(timeout);
    }
    sdk.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    closeServer();
  }

  private void closeServer() {
    MetricsServer m = metricsServer;
    if (m != null) {
      m.close();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /** What an exporter writes to, without credentials (no headers, no URL user info). */
  private static String describe(Object exporter, ConfigProperties c) {
    if (exporter instanceof FileSpanExporter || exporter instanceof FileMetricExporter) {
      return "OTLP JSON files in " + FileSettings.from(c).directory();
    }
    String name = exporter.getClass().getSimpleName();
    if (name.startsWith("Otlp")) {
      String protocol = c.getString("otel.exporter.otlp.protocol", "http/protobuf");
      String endpoint = c.getString("otel.exporter.otlp.endpoint", "the default endpoint");
      return "OTLP ("
          + protocol
          + ") to "
          + endpoint.replaceFirst("//[^/@]*@", "//").replaceFirst("\\?.*", "?...");
    }
    return name;
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
