package dev.aiprof.exporters.file;

import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.exporter.logging.otlp.internal.metrics.OtlpStdoutMetricExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * Writes metrics as OTLP/JSON lines, one {@code ExportMetricsServiceRequest} per line, to rotating
 * {@code metrics-*.jsonl} files, with cumulative temporality. Histograms of SDK instruments are
 * aggregated as the OTLP exporters do ({@code
 * otel.exporter.otlp.metrics.default.histogram.aggregation}, the agent's default base-2
 * exponential). See {@link FileSpanExporter}.
 *
 * <p>Thread-safe.
 */
public final class FileMetricExporter implements MetricExporter {
  private final RotatingFile file;
  private final MetricExporter json;
  private final Aggregation histograms;

  /** With explicit-bucket histograms (the SDK's default aggregation). */
  public FileMetricExporter(FileSettings settings) {
    this(settings, Aggregation.defaultAggregation());
  }

  /**
   * @param histograms the default aggregation of histogram instruments
   */
  public FileMetricExporter(FileSettings settings, Aggregation histograms) {
    this.histograms = histograms;
    this.file = settings.open("metrics");
    this.json =
        new OtlpStdoutMetricExporterBuilder(Logger.getLogger(FileMetricExporter.class.getName()))
            .setWrapperJsonObject(true)
            .setMemoryMode(MemoryMode.IMMUTABLE_DATA)
            .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative())
            .setOutput(new LineStream(file))
            .build();
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    long before = file.errors();
    CompletableResultCode r = json.export(metrics);
    return file.errors() > before ? CompletableResultCode.ofFailure() : r;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType type) {
    return type == InstrumentType.HISTOGRAM ? histograms : Aggregation.defaultAggregation();
  }

  @Override
  public CompletableResultCode flush() {
    return json.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return json.shutdown();
  }

  /** Lines not written, files deleted for the cap, bytes written. */
  public void collect(MetricSink sink) {
    FileMetrics.collect(sink, "metrics", file);
  }

  @Override
  public String toString() {
    return "FileMetricExporter{" + file.current() + "}";
  }
}
