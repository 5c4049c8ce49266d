package dev.aiprof.agent.config;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.Attributes;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a metric source reported, by name and attributes. */
final class Recorded implements MetricSink {
  final Map<String, Double> values = new LinkedHashMap<>();

  static Recorded of(dev.aiprof.api.metrics.MetricSource s) {
    Recorded r = new Recorded();
    s.collect(r);
    return r;
  }

  double get(MetricId m) {
    return get(m, Attributes.empty());
  }

  double get(MetricId m, Attributes a) {
    Double v = values.get(m.name() + a);
    if (v == null) {
      throw new AssertionError(m.name() + a + " not reported; got " + values.keySet());
    }
    return v;
  }

  @Override
  public void counter(MetricId m, Attributes a, double v) {
    values.put(m.name() + a, v);
  }

  @Override
  public void gauge(MetricId m, Attributes a, double v) {
    values.put(m.name() + a, v);
  }

  @Override
  public void histogram(MetricId m, Attributes a, Log2Histogram h, long sumNanos) {
    values.put(m.name() + a, (double) sumNanos);
  }
}
