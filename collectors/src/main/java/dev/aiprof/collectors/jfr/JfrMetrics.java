package dev.aiprof.collectors.jfr;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The JFR collector's own metrics. */
public final class JfrMetrics {
  public static final MetricId JVMS =
      MetricId.gauge("aiprof.jfr.jvms", "JVMs whose JFR events are being streamed", "{jvm}");
  public static final MetricId ATTACH_FAILURES =
      MetricId.counter(
          "aiprof.jfr.attach_failures", "JVMs that could not be streamed (see the log)", "{jvm}");
  public static final MetricId PHASES =
      MetricId.counter("aiprof.jfr.phases", "Phases made from JFR events", "{phase}");
  public static final MetricId DROPPED =
      MetricId.counter("aiprof.jfr.dropped", "Phases or events dropped, by reason", "{phase}");

  /** "repository" or "jmx". */
  public static final AttributeKey<String> MECHANISM =
      AttributeKey.stringKey("aiprof.jfr.mechanism");

  /** queue_full, unpaired, malformed, listener_failed. */
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("aiprof.jfr.reason");

  private JfrMetrics() {}
}
