package dev.aiprof.pipeline;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One collector's metrics behind its self-metrics ({@code aiprof.collector.success} and {@code
 * .duration}): a source that throws makes the collection fail (logged once until it succeeds
 * again), the others go on. Counts the series each collector reported. Used under the pipeline's
 * lock.
 */
final class CollectorMetrics {
  private static final System.Logger LOG = System.getLogger(CollectorMetrics.class.getName());

  /** Cumulative: a failure between two scrapes still shows (the success gauge is the last one). */
  static final MetricId FAILURES =
      MetricId.counter(
          "aiprof.collector.failures",
          "Metric collections of the collector that failed (a metric source threw)",
          "{collection}");

  private final LongSupplier nanoClock;
  private final Map<String, Boolean> lastOk = new HashMap<>();
  private final Map<String, Integer> lastSeries = new HashMap<>();
  private final Map<String, Long> failures = new HashMap<>();

  CollectorMetrics(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  void collect(String collector, List<MetricSource> sources, MetricSink sink) {
    long t0 = nanoClock.getAsLong();
    boolean ok = true;
    CountingSink counted = new CountingSink(sink);
    for (MetricSource m : sources) {
      try {
        m.collect(counted);
      } catch (RuntimeException e) {
        ok = false;
        if (!Boolean.FALSE.equals(lastOk.put(collector, false))) {
          LOG.log(System.Logger.Level.WARNING, "collector " + collector + " failed: " + e);
        }
      }
    }
    if (ok) {
      lastOk.put(collector, true);
    }
    long failed = failures.merge(collector, ok ? 0L : 1L, Long::sum);
    synchronized (lastSeries) {
      lastSeries.put(collector, counted.series);
    }
    Attributes a = Attributes.of(Pipeline.COLLECTOR, collector);
    sink.gauge(Pipeline.COLLECTOR_SUCCESS, a, ok ? 1 : 0);
    sink.gauge(Pipeline.COLLECTOR_DURATION, a, (nanoClock.getAsLong() - t0) / 1e9);
    sink.counter(FAILURES, a, failed);
  }

  Map<String, Integer> lastSeries() {
    synchronized (lastSeries) {
      return Map.copyOf(lastSeries);
    }
  }

  /** A sink that counts what passes. */
  private static final class CountingSink implements MetricSink {
    private final MetricSink to;
    int series;

    CountingSink(MetricSink to) {
      this.to = to;
    }

    @Override
    public void counter(MetricId m, Attributes a, double v) {
      series++;
      to.counter(m, a, v);
    }

    @Override
    public void gauge(MetricId m, Attributes a, double v) {
      series++;
      to.gauge(m, a, v);
    }

    @Override
    public void histogram(MetricId m, Attributes a, Log2Histogram h, long sumNanos) {
      series++;
      to.histogram(m, a, h, sumNanos);
    }
  }
}
