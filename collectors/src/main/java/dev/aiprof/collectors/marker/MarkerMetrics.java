package dev.aiprof.collectors.marker;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The metrics the marker collector reports about itself. */
public final class MarkerMetrics {
  public static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("aiprof.phase.origin");
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("aiprof.reason");

  public static final MetricId PHASES =
      MetricId.counter(
          "aiprof.marker.phases",
          "Phases completed through libaiprof.so, by origin (marker or nvtx)",
          "{phase}");
  public static final MetricId LOST =
      MetricId.counter(
          "aiprof.marker.lost",
          "Marker calls that did not become phases, by reason: unmatched_end (an end without a"
              + " begin), too_deep, threads_full, abandoned (the thread exited inside a phase)",
          "{call}");
  public static final MetricId LIBRARIES =
      MetricId.gauge(
          "aiprof.marker.libraries", "libaiprof.so files the agent is attached to", "{file}");
  public static final MetricId PROCESSES =
      MetricId.gauge("aiprof.marker.processes", "Processes that map libaiprof.so", "{process}");

  private MarkerMetrics() {}
}
