package dev.aiprof.collectors.sched;

import dev.aiprof.bpf.RingBufferPoller;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedConfig;
import dev.aiprof.bpf.sched.SchedCounter;
import dev.aiprof.bpf.sched.SchedEventView;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.Identity;
import dev.aiprof.collectors.MetricSink;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Scheduler collector: loads {@link SchedProbe}, reports its per-cgroup statistics as metrics and
 * hands its off-CPU episodes to {@link EpisodeListener}s.
 *
 * <p>Settings: {@code sched.min-event} (default 1ms) episodes at least this long are events; {@code
 * sched.trace-followed} (default false) every episode of followed processes is an event; {@code
 * sched.drain-interval} (default 10ms) how often the ring buffer is drained.
 */
public final class SchedCollector implements Collector {
  public static final String NAME = "sched";

  private final List<EpisodeListener> listeners = new CopyOnWriteArrayList<>();
  private final SchedEventView view = new SchedEventView();
  private SchedProbe probe;
  private RingBufferPoller poller;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(CollectorContext context) {
    SchedConfig config =
        SchedConfig.builder()
            .minEventNs(context.duration("sched.min-event", Duration.ofMillis(1)).toNanos())
            .traceFollowed(context.flag("sched.trace-followed", false))
            .build();
    probe = SchedProbe.load(context.features(), config);
    poller =
        probe.pollEvents(
            this::onRecord, context.duration("sched.drain-interval", Duration.ofMillis(10)));
  }

  /** Adds a listener for off-CPU episodes; may be called before or after start. */
  public void addListener(EpisodeListener listener) {
    listeners.add(listener);
  }

  /** The loaded probe (to follow processes); null before start. */
  public SchedProbe probe() {
    return probe;
  }

  /** Current cumulative statistics per workload identity. */
  public List<CgroupSchedStats> cgroups() {
    return probe.cgroups();
  }

  /** Ring-buffer events received so far. */
  public long eventsReceived() {
    return poller == null ? 0 : poller.records();
  }

  /** Records the ring-buffer consumer could not hand on (a listener threw). */
  public long failedRecords() {
    return poller == null ? 0 : poller.failed();
  }

  private void onRecord(long address, int size) {
    view.at(address);
    for (EpisodeListener l : listeners) {
      l.onEpisode(view);
    }
  }

  @Override
  public void collect(MetricSink sink) {
    for (CgroupSchedStats c : probe.cgroups()) {
      Attributes id = Identity.cgroup(c.cgroupId(), c.cgroupV1Id());
      sink.histogram(SchedMetrics.RUNQUEUE_LATENCY, id, c.runqueue(), c.runqueueNs());
      long blockedNs = c.offNs(OffCpuKind.BLOCKED);
      sink.histogram(SchedMetrics.BLOCKED_DURATION, id, c.blocked(), blockedNs);
      sink.counter(SchedMetrics.CPU_TIME, id, c.onCpuNs() / 1e9);
      sink.counter(SchedMetrics.OFFCPU_TIME, with(id, "runqueue"), c.runqueueNs() / 1e9);
      for (OffCpuKind k : OffCpuKind.values()) {
        if (k != OffCpuKind.PREEMPTED) {
          sink.counter(SchedMetrics.OFFCPU_TIME, with(id, k.label()), c.offNs(k) / 1e9);
        }
        sink.counter(SchedMetrics.OFFCPU_EPISODES, with(id, k.label()), c.offCount(k));
      }
    }
    Attributes self = Attributes.of(SchedMetrics.PROBE, NAME);
    sink.counter(SchedMetrics.PROBE_EVENTS, self, probe.counter(SchedCounter.EVENTS));
    sink.counter(SchedMetrics.PROBE_DROPPED, self, probe.counter(SchedCounter.EVENTS_DROPPED));
  }

  private static Attributes with(Attributes id, String state) {
    return id.toBuilder().put(SchedMetrics.STATE, state).build();
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.close();
      poller = null;
    }
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }
}
