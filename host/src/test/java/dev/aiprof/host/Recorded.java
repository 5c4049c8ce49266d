package dev.aiprof.host;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The series one collection reported: metric, attributes, value. */
final class Recorded implements MetricSink {
  record Series(String metric, Attributes attributes, double value) {}

  final List<Series> series = new ArrayList<>();

  @Override
  public void counter(MetricId metric, Attributes attributes, double cumulative) {
    series.add(new Series(metric.name(), attributes, cumulative));
  }

  @Override
  public void gauge(MetricId metric, Attributes attributes, double value) {
    series.add(new Series(metric.name(), attributes, value));
  }

  @Override
  public void histogram(MetricId metric, Attributes attributes, Log2Histogram h, long sum) {
    series.add(new Series(metric.name(), attributes, h.total()));
  }

  List<Series> of(String metric) {
    return series.stream().filter(s -> s.metric().equals(metric)).toList();
  }

  <T> List<T> values(String metric, AttributeKey<T> key) {
    return of(metric).stream().map(s -> s.attributes().get(key)).distinct().toList();
  }

  /** The value of the one series of {@code metric} whose attributes include the pairs. */
  Optional<Double> value(String metric, Object... kv) {
    List<Double> v =
        of(metric).stream().filter(s -> matches(s.attributes(), kv)).map(Series::value).toList();
    if (v.size() > 1) {
      throw new AssertionError(v.size() + " series of " + metric + " match");
    }
    return v.stream().findFirst();
  }

  @SuppressWarnings("unchecked")
  private static boolean matches(Attributes a, Object... kv) {
    for (int i = 0; i < kv.length; i += 2) {
      if (!kv[i + 1].equals(a.get((AttributeKey<Object>) kv[i]))) {
        return false;
      }
    }
    return true;
  }
}
