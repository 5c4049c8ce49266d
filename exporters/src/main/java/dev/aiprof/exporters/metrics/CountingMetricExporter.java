package dev.aiprof.exporters.metrics;

import dev.aiprof.exporters.LastExport;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a metric exporter's successes and failures ({@code aiprof.export.batches}, signal
 * metrics), and gives histograms an aggregation of the agent's where one is set; otherwise the
 * exporter unchanged. A backend that is down costs one failed export per interval: each export is a
 * fresh cumulative snapshot, so nothing accumulates. Thread-safe.
 */
public final class CountingMetricExporter implements MetricExporter {
  private final MetricExporter delegate;
  private final Aggregation histograms;
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final LastExport last;

  /**
   * @param histograms the aggregation of histograms in place of the delegate's, or null for its own
   */
  public CountingMetricExporter(MetricExporter delegate, Aggregation histograms) {
    this.delegate = delegate;
    this.histograms = histograms;
    String kind = delegate.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    this.last =
        new LastExport(
            "metrics/" + (kind.startsWith("otlp") ? "otlp" : kind.replace("metricexporter", "")));
  }

  public MetricExporter delegate() {
    return delegate;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode r;
    try {
      r = delegate.export(metrics);
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      last.record(false);
      return CompletableResultCode.ofFailure();
    }
    r.whenComplete(
        () -> {
          (r.isSuccess() ? ok : failed).incrementAndGet();
          last.record(r.isSuccess());
        });
    return r;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return delegate.getAggregationTemporality(type);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType type) {
    if (type == InstrumentType.HISTOGRAM && histograms != null) {
      return histograms;
    }
    return delegate.getDefaultAggregation(type);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  /** When an export last succeeded and failed. */
  public LastExport last() {
    return last;
  }

  public long failures() {
    return failed.get();
  }

  public long successes() {
    return ok.get();
  }

  @Override
  public String toString() {
    return "Counting{" + delegate + "}";
  }
}
