package dev.aiprof.io.block;

import dev.aiprof.api.RemovedCgroups;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.bpf.blockio.BlockIoCounter;
import dev.aiprof.bpf.blockio.BlockIoProbe;
import dev.aiprof.bpf.blockio.BlockIoSeries;
import dev.aiprof.collectors.sched.SchedMetrics;
import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The blockio collector's metrics on each collection: per series of the probe (workload, disk,
 * direction, origin), requests, bytes and the queue and service histograms; about itself, requests
 * in flight, the probe's events, drops and faults (a full series map is {@code stats_full}), and
 * the removed cgroups whose series were deleted. Series are bounded by the kernel's map ({@code
 * stats}, 2,048). Thread-safety: called on the metrics thread; the probe's reads are safe there.
 */
final class BlockIoReport {
  private static final List<BlockIoCounter> FAULTS =
      List.of(
          BlockIoCounter.INFLIGHT_FULL,
          BlockIoCounter.STATS_FULL,
          BlockIoCounter.UNMATCHED,
          BlockIoCounter.REISSUED,
          BlockIoCounter.FINISHED_AT_DONE);

  private final BlockIoProbe probe;
  private final DeviceNames names;
  private final BlockIoActivity activity;
  private final LongSupplier stale;
  private final LongSupplier handlerFailures;
  private final RemovedCgroups removed;

  BlockIoReport(
      BlockIoProbe probe,
      DeviceNames names,
      BlockIoActivity activity,
      LongSupplier stale,
      LongSupplier handlerFailures,
      RemovedCgroups removed) {
    this.probe = probe;
    this.names = names;
    this.activity = activity;
    this.stale = stale;
    this.handlerFailures = handlerFailures;
    this.removed = removed;
  }

  /** The attributes of one series. */
  static Attributes attributes(BlockIoSeries s, String device) {
    return Identity.cgroup(s.cgroupId(), s.cgroupV1Id()).toBuilder()
        .put(BlockIoMetrics.DEVICE, device)
        .put(BlockIoMetrics.DIRECTION, s.dir().label())
        .put(BlockIoMetrics.ORIGIN, s.origin().label())
        .build();
  }

  void collect(MetricSink sink) {
    series(sink, probe.series(), names::name);
    sink.gauge(BlockIoMetrics.INFLIGHT, Attributes.empty(), probe.inflight());
    drop(sink, "threads", activity.droppedThreads());
    drop(sink, "requests", activity.droppedRequests());
    drop(sink, "stale", stale.getAsLong());
    sink.counter(BlockIoMetrics.CGROUPS_REMOVED, Attributes.empty(), removed.removed());
    Attributes self = Attributes.of(SchedMetrics.PROBE, BlockIoProvider.NAME);
    sink.counter(SchedMetrics.PROBE_EVENTS, self, probe.counter(BlockIoCounter.EVENTS));
    sink.counter(SchedMetrics.PROBE_DROPPED, self, probe.counter(BlockIoCounter.EVENTS_DROPPED));
    for (BlockIoCounter c : FAULTS) {
      SchedMetrics.fault(sink, self, c.label(), probe.counter(c));
    }
    SchedMetrics.fault(sink, self, "handler_failed", handlerFailures.getAsLong());
  }

  /** Reports each series' requests, bytes and histograms (ns, with their sums) to {@code sink}. */
  static void series(MetricSink sink, List<BlockIoSeries> series, IntFunction<String> names) {
    for (BlockIoSeries s : series) {
      Attributes a = attributes(s, names.apply(s.dev()));
      sink.counter(BlockIoMetrics.REQUESTS, a, s.requests());
      sink.counter(BlockIoMetrics.BYTES, a, s.bytes());
      sink.histogram(BlockIoMetrics.QUEUE_DURATION, a, s.queue(), s.queueNs());
      sink.histogram(BlockIoMetrics.SERVICE_DURATION, a, s.service(), s.serviceNs());
    }
  }

  private static void drop(MetricSink sink, String reason, long n) {
    sink.counter(BlockIoMetrics.DROPPED, Attributes.of(SchedMetrics.REASON, reason), n);
  }
}
