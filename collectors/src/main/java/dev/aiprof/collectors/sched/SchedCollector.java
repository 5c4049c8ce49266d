package dev.aiprof.collectors.sched;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.bpf.RingBufferPoller;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedConfig;
import dev.aiprof.bpf.sched.SchedCounter;
import dev.aiprof.bpf.sched.SchedEventView;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.phase.SignalProvider;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.List;

/**
 * Scheduler collector: loads {@link SchedProbe}, reports its per-cgroup statistics as metrics,
 * hands its off-CPU episodes to {@link EpisodeListener}s, keeps the timelines of followed processes
 * ({@link TimelineStore}) and describes phases from them ({@link SchedSignal}).
 *
 * <p>Settings: {@code sched.min-event} (default 1ms) episodes at least this long are events for
 * every process; {@code sched.trace-followed} (default true) every episode of a followed process is
 * an event (the timelines need it); {@code sched.drain-interval} and {@code
 * sched.drain-interval-max} (default 10ms and 100ms) how often the ring buffer is drained
 * (adaptive: the longer interval while little arrives); {@code sched.retention} (default 60s) how
 * long timelines are kept; {@code correlation.min-stall} (default 1ms) episodes at least this long
 * become span events.
 *
 * <p>Thread-safety: start, collect and close on one thread; follow and the listeners' callbacks may
 * run on others.
 */
public final class SchedCollector implements Collector, SignalProvider {
  public static final String NAME = "sched";

  private volatile EpisodeListener[] listeners = new EpisodeListener[0]; // iterated per event
  private final SchedEventView view = new SchedEventView();
  private SchedProbe probe;
  private RingBufferPoller poller;
  private TimelineStore timelines;
  private SchedSignal signal;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(CollectorContext context) {
    SchedConfig config =
        SchedConfig.builder()
            .minEventNs(context.duration("sched.min-event", Duration.ofMillis(1)).toNanos())
            .traceFollowed(context.flag("sched.trace-followed", true))
            .build();
    timelines =
        new TimelineStore(
            context.duration("sched.retention", Duration.ofSeconds(60)).toNanos(), 65_536, 8192);
    addListener(timelines);
    probe = SchedProbe.load(context.features(), config);
    poller =
        probe.pollEvents(
            this::onRecord,
            context.duration("sched.drain-interval", Duration.ofMillis(10)),
            context.duration("sched.drain-interval-max", Duration.ofMillis(100)));
    signal =
        new SchedSignal(
            timelines,
            probe::thread,
            poller::drainedUntil,
            context.duration("correlation.min-stall", Duration.ofMillis(1)).toNanos(),
            32);
  }

  /**
   * Follows process {@code pid} from now on: per-thread statistics and, for the timelines, every
   * off-CPU episode of its threads.
   */
  public void follow(int pid) {
    timelines.follow(pid, Long.MAX_VALUE); // accept its episodes from now on
    probe.follow(pid);
    timelines.follow(pid, System.nanoTime()); // complete from here: the kernel follows it now
  }

  /**
   * Records that the kernel has followed {@code pid} since {@code sinceNs} (monotonic): a probe
   * that follows processes from inside the kernel (the marker probe) says when it started.
   */
  public void followedSince(int pid, long sinceNs) {
    timelines.follow(pid, sinceNs);
  }

  /** The timelines of followed processes. */
  public TimelineStore timelines() {
    return timelines;
  }

  @Override
  public List<PhaseSignal> signals() {
    return signal == null ? List.of() : List.of(signal);
  }

  /** Adds a listener for off-CPU episodes; may be called before or after start. */
  public synchronized void addListener(EpisodeListener listener) {
    EpisodeListener[] l = java.util.Arrays.copyOf(listeners, listeners.length + 1);
    l[l.length - 1] = listener;
    listeners = l;
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
    timelines.prune(System.nanoTime());
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
    sink.counter(
        SchedMetrics.PROBE_REBUILT,
        self.toBuilder().put(SchedMetrics.MISSED, "wakeup").build(),
        probe.counter(SchedCounter.WAKEUP_MISSING));
    sink.counter(
        SchedMetrics.PROBE_REBUILT,
        self.toBuilder().put(SchedMetrics.MISSED, "switch_in").build(),
        probe.counter(SchedCounter.SWITCH_IN_MISSING));
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
