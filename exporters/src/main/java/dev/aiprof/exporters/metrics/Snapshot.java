package dev.aiprof.exporters.metrics;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.Attributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of one collection, by metric and series, as sources report them. A metric is known by
 * its name: a second {@link MetricId} of the same name but another kind or unit is refused and
 * counted (it would make two instruments with one name). Reporting a series twice keeps the last
 * value. Not thread-safe: one collection on one thread.
 */
final class Snapshot implements MetricSink {
  /** A histogram reading. */
  record Histogram(Log2Histogram nanos, long sumNanos) {}

  private final Map<String, MetricId> ids = new LinkedHashMap<>();
  private final Map<String, Map<Attributes, Object>> values = new LinkedHashMap<>();
  private int conflicts;

  @Override
  public void counter(MetricId metric, Attributes attributes, double cumulative) {
    put(metric, attributes, cumulative);
  }

  @Override
  public void gauge(MetricId metric, Attributes attributes, double value) {
    put(metric, attributes, value);
  }

  @Override
  public void histogram(
      MetricId metric, Attributes attributes, Log2Histogram nanos, long sumNanos) {
    put(metric, attributes, new Histogram(nanos, sumNanos));
  }

  private void put(MetricId metric, Attributes attributes, Object value) {
    MetricId known = ids.putIfAbsent(metric.name(), metric);
    if (known != null && (known.kind() != metric.kind() || !known.unit().equals(metric.unit()))) {
      conflicts++;
      return;
    }
    values.computeIfAbsent(metric.name(), k -> new LinkedHashMap<>()).put(attributes, value);
  }

  Map<String, MetricId> metrics() {
    return ids;
  }

  Map<Attributes, Object> series(String metric) {
    return values.getOrDefault(metric, Map.of());
  }

  int conflicts() {
    return conflicts;
  }
}
