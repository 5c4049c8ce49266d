package dev.aiprof.collectors;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;

/** A {@link MetricSink} that keeps everything reported, for assertions. */
public final class RecordingSink implements MetricSink {
  /** One reported value. */
  public record Point(
      MetricId metric, Attributes attributes, double value, Log2Histogram histogram) {}

  public final List<Point> points = new ArrayList<>();

  @Override
  public void counter(MetricId metric, Attributes attributes, double cumulative) {
    points.add(new Point(metric, attributes, cumulative, null));
  }

  @Override
  public void gauge(MetricId metric, Attributes attributes, double value) {
    points.add(new Point(metric, attributes, value, null));
  }

  @Override
  public void histogram(MetricId metric, Attributes attributes, Log2Histogram nanos, long sum) {
    points.add(new Point(metric, attributes, sum, nanos));
  }

  public List<Point> of(MetricId metric) {
    return points.stream().filter(p -> p.metric().equals(metric)).toList();
  }
}
