package dev.aiprof.collectors.otlp;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The metrics the OTLP receiver reports about itself. */
public final class OtlpMetrics {
  /** {@code grpc} or {@code http}. */
  public static final AttributeKey<String> TRANSPORT =
      AttributeKey.stringKey("aiprof.otlp.transport");

  /** How a request ended; see {@link Outcome}. */
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aiprof.otlp.outcome");

  /** Why spans were rejected: {@code queue_full} or {@code invalid}. */
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("aiprof.otlp.reason");

  /** What a span limit cut: attributes, value_length, events, links, name. */
  public static final AttributeKey<String> LIMIT = AttributeKey.stringKey("aiprof.otlp.limit");

  /**
   * What matched a span to a process: {@code container.id}, {@code k8s.pod.uid} or {@code
   * connection} (a sandbox's), {@code process.pid}, or {@code none}.
   */
  public static final AttributeKey<String> MATCHED_BY =
      AttributeKey.stringKey("aiprof.otlp.matched_by");

  public static final MetricId SPANS_MATCHED =
      MetricId.counter(
          "aiprof.otlp.spans.matched",
          "Spans received, by what matched them to a process: a sandbox named by container.id or"
              + " k8s.pod.uid, the sandbox their connection came from (connection), their own"
              + " process.pid, or none",
          "{span}");

  public static final MetricId SPANS_LIMITED =
      MetricId.counter(
          "aiprof.otlp.spans.limited",
          "Items the span limits cut from received spans, by limit: attributes, events and links"
              + " dropped, values and names truncated (otlp.max-attributes and the others)",
          "{item}");
  public static final MetricId SPANS_RECEIVED =
      MetricId.counter(
          "aiprof.otlp.spans.received",
          "Spans accepted by the OTLP receiver and queued for delivery as phases",
          "{span}");
  public static final MetricId SPANS_REJECTED =
      MetricId.counter(
          "aiprof.otlp.spans.rejected",
          "Spans the OTLP receiver refused, by reason: queue_full (retryable) or invalid",
          "{span}");
  public static final MetricId SPANS_WITHOUT_PID =
      MetricId.counter(
          "aiprof.otlp.spans.without_pid",
          "Spans without a usable process.pid: forwarded but not correlated with a process",
          "{span}");
  public static final MetricId SPANS_WITHOUT_THREAD =
      MetricId.counter(
          "aiprof.otlp.spans.without_thread",
          "Spans without a usable thread.id: correlated with their whole process",
          "{span}");
  public static final MetricId REQUESTS =
      MetricId.counter(
          "aiprof.otlp.requests", "OTLP export requests, by transport and outcome", "{request}");
  public static final MetricId DELIVERY_ERRORS =
      MetricId.counter(
          "aiprof.otlp.delivery.errors",
          "Phases the phase listener failed on (it threw); the phase is lost",
          "{phase}");
  public static final MetricId QUEUED_SPANS =
      MetricId.gauge(
          "aiprof.otlp.queue.spans", "Spans received and waiting for delivery", "{span}");

  /** How an export request ended, as the {@link #OUTCOME} attribute. */
  public enum Outcome {
    /** Every span accepted. */
    ACCEPTED,
    /** Some spans were invalid and rejected (OTLP partial success). */
    PARTIAL,
    /** Refused because the delivery queue was full: retryable. */
    QUEUE_FULL,
    /** The body could not be decoded (HTTP 400; gRPC decoding errors are counted by gRPC). */
    BAD_REQUEST,
    /** The body was larger than {@code otlp.max-request-size} (HTTP 413). */
    TOO_LARGE,
    /** Wrong path, method, content type or encoding (HTTP 404, 405, 415). */
    UNSUPPORTED,
    /** Refused because too many request bytes were being read at once (HTTP 503, retryable). */
    BUSY;

    public String label() {
      return name().toLowerCase();
    }
  }

  private OtlpMetrics() {}
}
