package dev.aiprof.api.metrics;

import io.opentelemetry.api.common.Attributes;

/**
 * Where a collector reports its values on each {@link Collector#collect}. Values are cumulative
 * (since the collector started); attributes identify the series. Workload identity is reported as
 * raw ids ({@link Identity}); the agent enriches them to pod and container attributes.
 */
public interface MetricSink {
  /** A monotonic cumulative value, in the metric's unit. */
  void counter(MetricId metric, Attributes attributes, double cumulative);

  /** A current value, in the metric's unit. */
  void gauge(MetricId metric, Attributes attributes, double value);

  /** A cumulative log2 histogram of nanoseconds, with the sum of its values in nanoseconds. */
  void histogram(MetricId metric, Attributes attributes, Log2Histogram nanos, long sumNanos);

  /** Drops everything (a collection made for its side effects: self-metrics, counts). */
  MetricSink NONE =
      new MetricSink() {
        @Override
        public void counter(MetricId metric, Attributes attributes, double cumulative) {}

        @Override
        public void gauge(MetricId metric, Attributes attributes, double value) {}

        @Override
        public void histogram(
            MetricId metric, Attributes attributes, Log2Histogram nanos, long sumNanos) {}
      };
}
