package dev.aiprof.io.file;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.fileio.FileIoCause;
import dev.aiprof.bpf.fileio.FileIoCounter;
import dev.aiprof.bpf.fileio.FileIoProbe;
import dev.aiprof.collectors.sched.SchedMetrics;
import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The fileio collector's metrics on each collection: per workload, the read-latency histogram,
 * bytes and operations by direction, page-cache misses by cause, pages written, major faults and
 * slow reads; about itself, the probe's events, drops and faults. Thread-safety: called on the
 * metrics thread; reads synchronized state.
 */
final class FileIoReport {
  private static final List<FileIoCounter> FAULTS =
      List.of(
          FileIoCounter.STATS_FULL,
          FileIoCounter.SLOTS_FULL,
          FileIoCounter.STATE_MISSING,
          FileIoCounter.UNMATCHED_EXIT);
  private static final Attributes READ = Attributes.of(FileIoMetrics.DIRECTION, "read");
  private static final Attributes WRITE = Attributes.of(FileIoMetrics.DIRECTION, "write");

  private final FileIoTotals totals;
  private final ThreadActivity<?, ?, ?> activity;
  private final FileIoProbe probe;
  private final Runnable refresh;
  private final LongSupplier handlerFailures;
  private final LongSupplier cgroupsRemoved;

  FileIoReport(
      FileIoTotals totals,
      ThreadActivity<?, ?, ?> activity,
      FileIoProbe probe,
      Runnable refresh,
      LongSupplier handlerFailures,
      LongSupplier cgroupsRemoved) {
    this.totals = totals;
    this.activity = activity;
    this.probe = probe;
    this.refresh = refresh;
    this.handlerFailures = handlerFailures;
    this.cgroupsRemoved = cgroupsRemoved;
  }

  void collect(MetricSink sink) {
    refresh.run();
    totals
        .workloads()
        .forEach(
            (w, v) -> {
              Attributes id =
                  w.equals(FileIoTotals.OVERFLOW)
                      ? Identity.OVERFLOWED
                      : Identity.cgroup(w.cgroupId(), w.cgroupV1Id());
              sink.histogram(FileIoMetrics.READ_DURATION, id, v.latency(), v.readNs);
              sink.counter(FileIoMetrics.BYTES, with(id, READ), v.readBytes);
              sink.counter(FileIoMetrics.BYTES, with(id, WRITE), v.writeBytes);
              sink.counter(FileIoMetrics.OPERATIONS, with(id, READ), v.reads);
              sink.counter(FileIoMetrics.OPERATIONS, with(id, WRITE), v.writes);
              for (FileIoCause c : FileIoCause.values()) {
                if (c.miss()) {
                  sink.counter(
                      FileIoMetrics.PAGE_CACHE_MISSES,
                      id.toBuilder().put(FileIoMetrics.CAUSE, c.label()).build(),
                      v.pages(c));
                }
              }
              sink.counter(FileIoMetrics.PAGE_CACHE_WRITTEN, id, v.pages(FileIoCause.WRITE));
              if (probe.majorFaults()) {
                sink.counter(FileIoMetrics.MAJOR_FAULTS, id, v.majorFaults);
              }
              sink.counter(FileIoMetrics.SLOW_READS, id, v.slowReads);
            });
    self(sink);
  }

  private static Attributes with(Attributes id, Attributes more) {
    return id.toBuilder().putAll(more).build();
  }

  private void self(MetricSink sink) {
    sink.counter(
        FileIoMetrics.DROPPED, Attributes.of(SchedMetrics.REASON, "series"), totals.dropped());
    sink.counter(
        FileIoMetrics.DROPPED, Attributes.of(SchedMetrics.REASON, "activity"), activity.dropped());
    sink.counter(FileIoMetrics.CGROUPS_REMOVED, Attributes.empty(), cgroupsRemoved.getAsLong());
    Attributes self = Attributes.of(SchedMetrics.PROBE, FileIoProvider.NAME);
    sink.counter(SchedMetrics.PROBE_EVENTS, self, probe.counter(FileIoCounter.EVENTS));
    sink.counter(SchedMetrics.PROBE_DROPPED, self, probe.counter(FileIoCounter.EVENTS_DROPPED));
    for (FileIoCounter c : FAULTS) {
      SchedMetrics.fault(sink, self, c.label(), probe.counter(c));
    }
    SchedMetrics.fault(sink, self, "handler_failed", handlerFailures.getAsLong());
  }
}
