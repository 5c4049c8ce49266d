package dev.aiprof.collectors.sched;

import dev.aiprof.api.Cgroups;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.RemovedCgroups;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.follow.ProcessFollower;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.sandbox.SandboxLookup;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedConfig;
import dev.aiprof.bpf.sched.SchedCounter;
import dev.aiprof.bpf.sched.SchedEventView;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.collectors.sched.report.SchedReport;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.Arrays;

/**
 * Scheduler collector: loads {@link SchedProbe}, reports its per-cgroup statistics and its own
 * health as metrics, hands its off-CPU episodes to {@link EpisodeListener}s, keeps the timelines of
 * followed processes ({@link TimelineStore}) as the follow service's {@link ProcessFollower},
 * describes phases from them ({@link SchedSignal}) and contributes the scheduler's part of reports
 * ({@link SchedReport}). It offers the loaded {@link SchedProbe} to the collectors that use it (the
 * marker probe shares its follow maps). Settings: {@link SchedSettings}.
 *
 * <p>Housekeeping (the pipeline's thread): timelines pruned every second; statistics of removed
 * cgroups deleted every {@code sched.cgroup-check-interval}.
 *
 * <p>Thread-safety: start and close on the pipeline's thread; follow calls, listeners' callbacks,
 * metric collection and housekeeping on others.
 */
public final class SchedCollector implements Collector, ProcessFollower {
  private volatile EpisodeListener[] listeners = new EpisodeListener[0]; // iterated per event
  private final SchedEventView view = new SchedEventView();
  private SchedProbe probe;
  private RingPoller.Ring ring;
  private TimelineStore timelines;
  private RemovedCgroups removedCgroups;
  private HostPaths paths;

  @Override
  public String name() {
    return SchedProvider.NAME;
  }

  @Override
  public void start(CollectorContext context) {
    Settings s = context.settings();
    SchedConfig config =
        SchedConfig.builder()
            .minEventNs(s.get(SchedSettings.MIN_EVENT).toNanos())
            .traceFollowed(s.get(SchedSettings.TRACE_FOLLOWED))
            .build();
    timelines =
        new TimelineStore(
            s.get(SchedSettings.RETENTION).toNanos(),
            s.get(SchedSettings.MAX_EPISODES),
            s.get(SchedSettings.MAX_THREADS),
            s.get(SchedSettings.TIMELINE_MEMORY));
    addListener(timelines);
    removedCgroups = new RemovedCgroups(context.host(Cgroups.class));
    paths = context.paths();
    probe = SchedProbe.load(context.host(Features.class), config);
    ring = context.host(RingPoller.class).add(probe.events(), this::onRecord);
    context.signal(
        new SchedSignal(
            timelines,
            probe::thread,
            ring::drainedUntil,
            s.get(SchedSettings.MIN_STALL).toNanos(),
            32,
            new SandboxLookup(context.paths())::of));
    context.metrics(removedCgroups.exporting(this::collect));
    context.follower(this);
    SchedReport report = new SchedReport(this, context.paths());
    context.report(report.workloads());
    context.report(report.threads());
    context.offer(FollowMaps.class, probe);
    context.offer(SchedCollector.class, this);
    context.every("prune", Duration.ofSeconds(1), () -> timelines.prune(System.nanoTime()));
    context.every(
        "cgroups", s.get(SchedSettings.CGROUP_CHECK_INTERVAL), this::forgetRemovedCgroups);
  }

  @Override
  public boolean follow(ProcessKey process) {
    int pid = process.pid();
    timelines.follow(pid, Long.MAX_VALUE); // accept its episodes from now on
    if (!probe.tryFollow(pid)) {
      timelines.forget(pid);
      return false; // the followed map is full: counted by the follow service
    }
    long since = System.nanoTime();
    timelines.follow(pid, since); // complete from here: the kernel follows it now
    seed(pid, since);
    return true;
  }

  /** Threads asleep since before {@code sinceNs} count as off-CPU until they wake. */
  private void seed(int pid, long sinceNs) {
    TaskStates.offCpu(paths, pid).forEach((tid, kind) -> timelines.seed(pid, tid, sinceNs, kind));
  }

  @Override
  public void followingSince(ProcessKey process, long sinceNs) {
    timelines.follow(process.pid(), sinceNs);
    seed(process.pid(), sinceNs);
    probe.tryFollow(process.pid()); // the kernel's entry, again if an unfollow just took it
  }

  @Override
  public void unfollow(ProcessKey process) {
    probe.unfollow(process.pid());
    timelines.unfollow(process.pid(), System.nanoTime());
  }

  /** The timelines of followed processes. */
  public TimelineStore timelines() {
    return timelines;
  }

  /** Adds a listener for off-CPU episodes; may be called before or after start. */
  public synchronized void addListener(EpisodeListener listener) {
    EpisodeListener[] l = Arrays.copyOf(listeners, listeners.length + 1);
    l[l.length - 1] = listener;
    listeners = l;
  }

  /** Removes a listener added before. */
  public synchronized void removeListener(EpisodeListener listener) {
    listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(EpisodeListener[]::new);
  }

  /** The loaded probe; null before start. */
  public SchedProbe probe() {
    return probe;
  }

  /** Ring-buffer events received so far. */
  public long eventsReceived() {
    return ring == null ? 0 : ring.records();
  }

  /** Records the ring-buffer consumer could not hand on (a listener threw). */
  public long failedRecords() {
    return ring == null ? 0 : ring.failed();
  }

  private void onRecord(long address, int size) {
    view.at(address);
    for (EpisodeListener l : listeners) {
      l.onEpisode(view);
    }
  }

  /**
   * Deletes the statistics of cgroups that no longer exist, once their last values were exported
   * ({@link RemovedCgroups}), so that they stop being exported and the kernel's map keeps room for
   * live ones.
   */
  void forgetRemovedCgroups() {
    removedCgroups.sweep(
        probe::cgroups,
        CgroupSchedStats::cgroupId,
        CgroupSchedStats::cgroupV1Id,
        id -> probe.removeCgroup(id.v2(), id.v1()));
  }

  private void collect(MetricSink sink) {
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
    Attributes self = Attributes.of(SchedMetrics.PROBE, name());
    sink.counter(SchedMetrics.PROBE_EVENTS, self, probe.counter(SchedCounter.EVENTS));
    sink.counter(SchedMetrics.PROBE_DROPPED, self, probe.counter(SchedCounter.EVENTS_DROPPED));
    rebuilt(sink, self, "wakeup", SchedCounter.WAKEUP_MISSING);
    rebuilt(sink, self, "switch_in", SchedCounter.SWITCH_IN_MISSING);
    SchedMetrics.fault(sink, self, "cgroups_full", probe.counter(SchedCounter.CGROUPS_FULL));
    SchedMetrics.fault(sink, self, "state_missing", probe.counter(SchedCounter.STATE_MISSING));
    SchedMetrics.fault(
        sink, self, "switch_out_missing", probe.counter(SchedCounter.SWITCH_OUT_MISSING));
    SchedMetrics.fault(sink, self, "handler_failed", failedRecords());
    refused(sink, "threads", timelines.threadsRefused());
    refused(sink, "memory", timelines.memoryRefused());
    refused(sink, "evicted", timelines.droppedForMemory());
    refused(sink, "out_of_order", timelines.outOfOrder());
    sink.gauge(SchedMetrics.TIMELINE_MEMORY, Attributes.empty(), timelines.memoryBytes());
    sink.gauge(SchedMetrics.TIMELINE_THREADS, Attributes.empty(), timelines.threads());
    sink.gauge(SchedMetrics.FOLLOWED, Attributes.empty(), probe.followedCount());
    sink.gauge(SchedMetrics.FOLLOWED_CAPACITY, Attributes.empty(), probe.followedCapacity());
    sink.counter(SchedMetrics.CGROUPS_REMOVED, Attributes.empty(), removedCgroups.removed());
  }

  private void rebuilt(MetricSink sink, Attributes self, String missed, SchedCounter c) {
    sink.counter(
        SchedMetrics.PROBE_REBUILT,
        self.toBuilder().put(SchedMetrics.MISSED, missed).build(),
        probe.counter(c));
  }

  private static void refused(MetricSink sink, String reason, long n) {
    sink.counter(SchedMetrics.TIMELINE_REFUSED, Attributes.of(SchedMetrics.REASON, reason), n);
  }

  private static Attributes with(Attributes id, String state) {
    return id.toBuilder().put(SchedMetrics.STATE, state).build();
  }

  @Override
  public void close() {
    if (ring != null) {
      ring.close(); // drains what is left
      ring = null;
    }
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }
}
