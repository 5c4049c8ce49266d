package dev.aiprof.gpu.cuda;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.cuda.CudaApi;
import dev.aiprof.bpf.cuda.CudaCall;
import dev.aiprof.bpf.cuda.CudaCallKind;
import dev.aiprof.bpf.cuda.CudaCounter;
import dev.aiprof.bpf.cuda.CudaProbe;
import dev.aiprof.bpf.cuda.CudaSyncHistogram;
import dev.aiprof.collectors.sched.SchedMetrics;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The cuda collector's metrics on each collection: per workload, calls and errors by call, bytes by
 * call and direction, the sync-wait histograms, live allocated bytes; about itself, libraries and
 * processes, the probe's events, drops and faults. Thread-safety: called on the metrics thread;
 * reads synchronized state.
 */
final class CudaReport {
  private static final List<CudaCounter> FAULTS =
      List.of(
          CudaCounter.STATS_FULL,
          CudaCounter.ALLOCS_FULL,
          CudaCounter.FREE_UNKNOWN,
          CudaCounter.STATE_MISSING,
          CudaCounter.HIST_FULL,
          CudaCounter.UNMATCHED_RETURN);

  private final CudaTotals totals;
  private final ThreadActivity<?, ?, ?> activity;
  private final CudaProbe probe;
  private final Supplier<Set<Integer>> pids;
  private final LongSupplier handlerFailures;

  CudaReport(
      CudaTotals totals,
      ThreadActivity<?, ?, ?> activity,
      CudaProbe probe,
      Supplier<Set<Integer>> pids,
      LongSupplier handlerFailures) {
    this.totals = totals;
    this.activity = activity;
    this.probe = probe;
    this.pids = pids;
    this.handlerFailures = handlerFailures;
  }

  /** One workload's calls of one function (over directions). */
  private record CallKey(long v2, long v1, CudaCall call) {}

  void collect(MetricSink sink) {
    Map<CallKey, long[]> byCall = new HashMap<>();
    // A copy: the sink is not called under the totals' lock, which the 100 ms drain takes.
    totals
        .snapshot()
        .forEach(
            (k, v) -> {
              long[] sum =
                  byCall.computeIfAbsent(
                      new CallKey(k.cgroupId(), k.cgroupV1Id(), k.call()), x -> new long[3]);
              sum[0] += v[0];
              sum[1] += v[1];
              sum[2] += v[3];
              if (k.call().kind() == CudaCallKind.COPY) {
                sink.counter(
                    CudaMetrics.BYTES,
                    callAttributes(k.cgroupId(), k.cgroupV1Id(), k.call()).toBuilder()
                        .put(CudaMetrics.DIRECTION, k.dir().label())
                        .build(),
                    v[2]);
              }
            });
    byCall.forEach(
        (k, sum) -> {
          Attributes a = callAttributes(k.v2(), k.v1(), k.call());
          sink.counter(CudaMetrics.CALLS, a, sum[0]);
          sink.counter(CudaMetrics.ERRORS, a, sum[1]);
        });
    for (CudaSyncHistogram h : probe.histograms()) {
      if (h.call() != null) {
        long[] sum = byCall.get(new CallKey(h.cgroupId(), h.cgroupV1Id(), h.call()));
        sink.histogram(
            CudaMetrics.SYNC_DURATION,
            callAttributes(h.cgroupId(), h.cgroupV1Id(), h.call()),
            h.waits(),
            sum == null ? 0 : sum[2]);
      }
    }
    totals
        .liveByWorkload()
        .forEach(
            (id, bytes) ->
                sink.gauge(CudaMetrics.ALLOCATED, Identity.cgroup(id.get(0), id.get(1)), bytes));
    self(sink);
  }

  private void self(MetricSink sink) {
    Map<CudaApi, Long> files = new HashMap<>();
    probe.attached().values().forEach(api -> files.merge(api, 1L, Long::sum));
    for (CudaApi api : CudaApi.values()) {
      sink.gauge(
          CudaMetrics.LIBRARIES,
          Attributes.of(CudaMetrics.API, api.label()),
          files.getOrDefault(api, 0L));
    }
    sink.gauge(CudaMetrics.PROCESSES, Attributes.empty(), pids.get().size());
    drop(sink, "series", totals.dropped());
    drop(sink, "activity", activity.dropped());
    Attributes self = Attributes.of(SchedMetrics.PROBE, CudaProvider.NAME);
    sink.counter(SchedMetrics.PROBE_EVENTS, self, probe.counter(CudaCounter.EVENTS));
    sink.counter(SchedMetrics.PROBE_DROPPED, self, probe.counter(CudaCounter.EVENTS_DROPPED));
    for (CudaCounter c : FAULTS) {
      SchedMetrics.fault(sink, self, c.label(), probe.counter(c));
    }
    SchedMetrics.fault(sink, self, "handler_failed", handlerFailures.getAsLong());
  }

  private static Attributes callAttributes(long v2, long v1, CudaCall call) {
    return Identity.cgroup(v2, v1).toBuilder()
        .put(CudaMetrics.CALL, call.label())
        .put(CudaMetrics.API, call.api().label())
        .build();
  }

  private static void drop(MetricSink sink, String reason, long n) {
    sink.counter(CudaMetrics.DROPPED, Attributes.of(SchedMetrics.REASON, reason), n);
  }
}
