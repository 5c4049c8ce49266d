package dev.aiprof.collectors.otlp;

import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.collectors.otlp.OtlpMetrics.Outcome;
import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The receiver's running totals. Thread-safe: network and delivery threads add, the collector's
 * thread reports.
 */
final class OtlpCounters {
  final LongAdder received = new LongAdder();
  final LongAdder rejectedFull = new LongAdder();
  final LongAdder rejectedInvalid = new LongAdder();
  final LongAdder withoutPid = new LongAdder();
  final LongAdder withoutThread = new LongAdder();
  final LongAdder deliveryErrors = new LongAdder();
  final LimitCounts limited = new LimitCounts();
  final CallLimit grpcCalls = new CallLimit(GrpcReceiver.MAX_CALLS);
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder[] matched = new LongAdder[SpanBatch.MatchedBy.values().length];

  OtlpCounters() {
    for (int i = 0; i < matched.length; i++) {
      matched[i] = new LongAdder();
    }
  }

  void matched(SpanBatch batch) {
    for (SpanBatch.MatchedBy by : SpanBatch.MatchedBy.values()) {
      matched[by.ordinal()].add(batch.matched(by));
    }
  }

  long matched(SpanBatch.MatchedBy by) {
    return matched[by.ordinal()].sum();
  }

  void request(String transport, Outcome outcome) {
    requests.computeIfAbsent(transport + "/" + outcome.label(), k -> new LongAdder()).increment();
  }

  long requests(String transport, Outcome outcome) {
    LongAdder a = requests.get(transport + "/" + outcome.label());
    return a == null ? 0 : a.sum();
  }

  void report(MetricSink sink, int queued) {
    Attributes none = Attributes.empty();
    sink.counter(OtlpMetrics.SPANS_RECEIVED, none, received.sum());
    sink.counter(OtlpMetrics.SPANS_REJECTED, reason("queue_full"), rejectedFull.sum());
    sink.counter(OtlpMetrics.SPANS_REJECTED, reason("invalid"), rejectedInvalid.sum());
    sink.counter(OtlpMetrics.SPANS_WITHOUT_PID, none, withoutPid.sum());
    sink.counter(OtlpMetrics.SPANS_WITHOUT_THREAD, none, withoutThread.sum());
    sink.counter(OtlpMetrics.DELIVERY_ERRORS, none, deliveryErrors.sum());
    for (SpanBatch.MatchedBy by : SpanBatch.MatchedBy.values()) {
      sink.counter(
          OtlpMetrics.SPANS_MATCHED,
          Attributes.of(OtlpMetrics.MATCHED_BY, by.label()),
          matched[by.ordinal()].sum());
    }
    sink.gauge(OtlpMetrics.QUEUED_SPANS, none, queued);
    sink.counter(
        OtlpMetrics.REQUESTS,
        Attributes.of(
            OtlpMetrics.TRANSPORT,
            GrpcReceiver.TRANSPORT,
            OtlpMetrics.OUTCOME,
            Outcome.BUSY.label()),
        grpcCalls.refused.sum());
    for (LimitCounts.Kind k : LimitCounts.Kind.values()) {
      sink.counter(
          OtlpMetrics.SPANS_LIMITED, Attributes.of(OtlpMetrics.LIMIT, k.label()), limited.get(k));
    }
    requests.forEach(
        (k, v) -> {
          int slash = k.indexOf('/');
          Attributes a =
              Attributes.of(
                  OtlpMetrics.TRANSPORT, k.substring(0, slash),
                  OtlpMetrics.OUTCOME, k.substring(slash + 1));
          sink.counter(OtlpMetrics.REQUESTS, a, v.sum());
        });
  }

  private static Attributes reason(String r) {
    return Attributes.of(OtlpMetrics.REASON, r);
  }
}
