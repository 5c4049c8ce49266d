package dev.aiprof.exporters;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The exporters' own metrics: what reached the backends, what was dropped, and why. */
public final class ExportMetrics {
  /** exported, failed (the exporter gave up after its retries), dropped (the queue was full). */
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aiprof.outcome");

  /** traces or metrics. */
  public static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("aiprof.signal");

  /** Why a scrape was refused: slow, large, failed. */
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("aiprof.reason");

  public static final MetricId SCRAPES_REFUSED =
      MetricId.counter(
          "aiprof.export.scrapes.refused",
          "Scrapes of /metrics answered 503, by reason: slow (collecting took longer than 5 s),"
              + " large (more than 32 MiB), failed (rendering threw)",
          "{scrape}");
  public static final MetricId SPANS =
      MetricId.counter(
          "aiprof.export.spans",
          "Phase spans handed to the span exporter, by outcome: exported, failed (the exporter"
              + " gave up after its retries), dropped (the export queue was full in count or bytes, or it was closed)",
          "{span}");
  public static final MetricId QUEUE_SIZE =
      MetricId.gauge("aiprof.export.queue.size", "Spans waiting in the export queue", "{span}");
  public static final MetricId QUEUE_CAPACITY =
      MetricId.gauge(
          "aiprof.export.queue.capacity",
          "How many spans the export queue holds before it drops",
          "{span}");
  public static final MetricId QUEUE_BYTES =
      MetricId.gauge(
          "aiprof.export.queue.bytes",
          "Estimated heap bytes of the spans waiting in the export queue",
          "By");
  public static final MetricId QUEUE_MAX_BYTES =
      MetricId.gauge(
          "aiprof.export.queue.max_bytes",
          "Estimated heap bytes the export queue holds before it drops"
              + " (aiprof.exporter.span.queue-bytes)",
          "By");
  public static final MetricId BATCHES =
      MetricId.counter(
          "aiprof.export.batches",
          "Export calls by signal (traces, metrics) and outcome (success, failure)",
          "{batch}");
  public static final MetricId FILE_ERRORS =
      MetricId.counter(
          "aiprof.export.file.errors",
          "Lines the file exporter could not write (disk full, permissions), by signal",
          "{line}");
  public static final MetricId FILE_DELETED =
      MetricId.counter(
          "aiprof.export.file.deleted",
          "Old output files the file exporter deleted to stay under its size cap",
          "{file}");
  public static final MetricId FILE_BYTES =
      MetricId.counter(
          "aiprof.export.file.written", "Bytes the file exporter wrote, by signal", "By");
  public static final MetricId SOURCE_FAILURES =
      MetricId.counter(
          "aiprof.export.source.failures",
          "Metric collections in which a metric source threw (its values were missing)",
          "{failure}");

  public static final MetricId CONFLICTS =
      MetricId.counter(
          "aiprof.export.conflicts",
          "Metric points dropped because another source reported the same name with another"
              + " kind or unit",
          "{point}");

  private ExportMetrics() {}
}
