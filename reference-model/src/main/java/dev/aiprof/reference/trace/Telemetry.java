package dev.aiprof.reference.trace;

import dev.aiprof.exporters.file.FileMetricExporter;
import dev.aiprof.exporters.file.FileSettings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK of a reference process, built explicitly (not autoconfigured: the {@code
 * OTEL_*} variables meant for the agent's export must not send this process's spans past the
 * agent). Spans go over OTLP/HTTP protobuf to the agent's receiver, which correlates and forwards
 * them. Metrics (the server's GenAI histograms) go as OTLP JSON lines to the agent's output
 * directory and, when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set, also over OTLP/HTTP there. The
 * resource carries {@code process.pid}, which the receiver needs to correlate. W3C trace context.
 *
 * <p>Lifecycle: {@link #start}, then {@link #close()} flushes and shuts down (idempotent).
 */
public final class Telemetry implements AutoCloseable {
  private static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

  private final OpenTelemetrySdk sdk;
  private boolean closed;

  private Telemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /**
   * @param service {@code service.name}
   * @param traces the agent's OTLP/HTTP traces endpoint, e.g. {@code
   *     http://127.0.0.1:4318/v1/traces}
   * @param metricsDir where the metrics' OTLP JSON lines go, or null for no metrics
   * @param env the environment (for {@code OTEL_EXPORTER_OTLP_ENDPOINT})
   */
  public static Telemetry start(
      String service, String traces, Path metricsDir, Map<String, String> env) {
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(SERVICE, service, PID, ProcessHandle.current().pid())));
    SdkTracerProvider tracer =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder().setEndpoint(traces).build())
                    .setScheduleDelay(Duration.ofMillis(200))
                    .setMaxQueueSize(65_536)
                    .build())
            .build();
    SdkMeterProviderBuilder meters = SdkMeterProvider.builder().setResource(resource);
    if (metricsDir != null) {
      FileSettings files = new FileSettings(metricsDir, 16L << 20, 256L << 20);
      meters.registerMetricReader(
          PeriodicMetricReader.builder(new FileMetricExporter(files))
              .setInterval(Duration.ofSeconds(5))
              .build());
      String otlp = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
      if (otlp != null && !otlp.isBlank()) {
        meters.registerMetricReader(
            PeriodicMetricReader.builder(
                    OtlpHttpMetricExporter.builder()
                        .setEndpoint(otlp.replaceAll("/+$", "") + "/v1/metrics")
                        .build())
                .setInterval(Duration.ofSeconds(5))
                .build());
      }
    }
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracer)
            .setMeterProvider(meters.build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    return new Telemetry(sdk);
  }

  public OpenTelemetry api() {
    return sdk;
  }

  /** Exports what is pending now (spans and a metric collection), waiting up to 10 s. */
  public void flush() {
    sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    flush();
    sdk.shutdown().join(10, TimeUnit.SECONDS);
  }
}
