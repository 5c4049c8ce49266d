package dev.aiprof.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-collector success (last), duration (last) and failures (cumulative). */
class CollectorMetricsTest {
  @Test
  void aFailureBetweenScrapesStaysCountedAndTheDurationIsTheCollections() {
    AtomicLong clock = new AtomicLong();
    AtomicInteger calls = new AtomicInteger();
    MetricSource flaky =
        s -> {
          clock.addAndGet(2_500_000);
          if (calls.incrementAndGet() % 2 == 0) {
            throw new IllegalStateException("device gone");
          }
        };
    CollectorMetrics m = new CollectorMetrics(clock::get);
    Map<String, Double> out = new TreeMap<>();
    MetricSink sink =
        new MetricSink() {
          @Override
          public void counter(MetricId id, Attributes a, double v) {
            out.put(id.name() + a, v);
          }

          @Override
          public void gauge(MetricId id, Attributes a, double v) {
            out.put(id.name() + a, v);
          }

          @Override
          public void histogram(MetricId id, Attributes a, Log2Histogram h, long sumNanos) {}
        };
    String key = "{aiprof.collector=\"nvml\"}";
    m.collect("nvml", List.of(flaky), sink);
    assertThat(out)
        .containsEntry("aiprof.collector.success" + key, 1.0)
        .containsEntry("aiprof.collector.failures" + key, 0.0)
        .containsEntry("aiprof.collector.duration" + key, 0.0025);
    m.collect("nvml", List.of(flaky), sink);
    assertThat(out).containsEntry("aiprof.collector.success" + key, 0.0);
    m.collect("nvml", List.of(flaky), sink);
    assertThat(out)
        .containsEntry("aiprof.collector.success" + key, 1.0)
        .containsEntry("aiprof.collector.failures" + key, 1.0);
  }
}
