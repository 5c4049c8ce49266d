package dev.aiprof.collectors.otlp;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.collectors.RecordingSink;
import io.opentelemetry.api.common.Attributes;

/** Looks one value up in what a collector reported. */
record RecordingSinkValues(RecordingSink sink) {
  /** The value of {@code metric} with exactly {@code attributes}; 0 when not reported. */
  double get(MetricId metric, Attributes attributes) {
    return sink.of(metric).stream()
        .filter(p -> p.attributes().equals(attributes))
        .mapToDouble(RecordingSink.Point::value)
        .findFirst()
        .orElse(0);
  }
}
