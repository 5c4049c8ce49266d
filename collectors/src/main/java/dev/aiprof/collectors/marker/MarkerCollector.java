package dev.aiprof.collectors.marker;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.bpf.phase.LibraryId;
import dev.aiprof.bpf.phase.PhaseConfig;
import dev.aiprof.bpf.phase.PhaseCounter;
import dev.aiprof.bpf.phase.PhaseProbe;
import dev.aiprof.collectors.sched.SchedMetrics;
import dev.aiprof.collectors.sched.SchedProvider;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Phase source for libaiprof.so: finds processes that map the library (a scan of {@code
 * /proc/*}{@code /maps} every {@code marker.scan-interval}, on the pipeline's housekeeping thread),
 * attaches the {@link PhaseProbe} to each distinct library file (detaching when no process maps it
 * any more), pairs begin/end calls per thread into phases and reports them, and asks the follow
 * service to follow each process at first contact. Origin is MARKER or NVTX by uprobe cookie.
 *
 * <p>In-kernel following: when the scheduler collector runs, the probe shares its follow maps and a
 * process is followed from its first marker call, inside the kernel; the follow service is told
 * from when. Without it, following is the follow service's alone.
 *
 * <p>A library mapped after a scan is caught at the next one, so a process's first calls can be
 * missed. Libraries named in {@code marker.libraries} are attached at start and stay attached: the
 * kernel arms their uprobes in every process that maps them later, from its first call on (the way
 * to catch NVTX injection, which loads the library at the first range). Settings: {@link
 * MarkerSettings}.
 *
 * <p>Threads: the host's ring poller drains the probe's ring and delivers phases; housekeeping
 * scans /proc; metrics are collected on a third.
 */
public final class MarkerCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(MarkerCollector.class.getName());
  private static final int MAX_THREADS = 65_536;
  private static final int MAX_DEPTH = 64;

  private LibraryScan.Cache scanCache = new LibraryScan.Cache(0, System::nanoTime);
  private final Set<LibraryId> failed = new HashSet<>();
  private final Set<LibraryId> pinned = new HashSet<>();
  private HostPaths paths;
  private PhaseProbe probe;
  private MarkerEvents events;
  private RingPoller.Ring ring;
  private volatile int processes;
  private boolean scanFailing;

  @Override
  public void start(CollectorContext context) throws Exception {
    Settings s = context.settings();
    paths = context.paths();
    scanCache =
        new LibraryScan.Cache(s.get(MarkerSettings.REREAD_INTERVAL).toNanos(), System::nanoTime);
    List<Path> pinnedPaths = pinnedLibraries(s.get(MarkerSettings.LIBRARIES));
    FollowMaps sched = context.dependency(SchedProvider.NAME, FollowMaps.class).orElse(null);
    probe = PhaseProbe.load(context.host(Features.class), PhaseConfig.defaults(), sched);
    events =
        new MarkerEvents(
            context.phases(), context.follows(), MAX_THREADS, MAX_DEPTH, probe.followsInKernel());
    ring = context.host(RingPoller.class).add(probe.events(), events);
    for (Path p : pinnedPaths) {
      LibraryId id = LibraryId.of(p);
      probe.attach(id, p);
      pinned.add(id);
    }
    scan();
    context.metrics(this::collect);
    context.offer(MarkerCollector.class, this); // its state, for diagnostics and tests
    context.every("scan", s.get(MarkerSettings.SCAN_INTERVAL), this::scanQuietly);
  }

  /** Whether calling processes are followed in the kernel (the scheduler probe was given). */
  public boolean followsInKernel() {
    return probe != null && probe.followsInKernel();
  }

  /** The loaded probe; null before start. */
  public PhaseProbe probe() {
    return probe;
  }

  /** Runs one discovery pass now (housekeeping runs them on its own schedule). */
  public synchronized void scan() throws IOException {
    LibraryScan found = LibraryScan.of(paths, scanCache);
    Set<LibraryId> attached = probe.attached();
    for (Map.Entry<LibraryId, List<Path>> e : found.libraries().entrySet()) {
      if (!attached.contains(e.getKey()) && !failed.contains(e.getKey())) {
        attach(e.getKey(), e.getValue());
      }
    }
    Set<LibraryId> live = new HashSet<>(found.libraries().keySet());
    live.addAll(pinned);
    probe.retainOnly(live);
    failed.retainAll(found.libraries().keySet());
    processes = found.pids().size();
    events.forgetExited(paths);
  }

  /** The paths of a {@code marker.libraries} value; each must be a readable file. */
  static List<Path> pinnedLibraries(List<Path> given) {
    for (Path p : given) {
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new IllegalArgumentException(
            "marker.libraries: "
                + p
                + " is not a readable file; give the path of libaiprof.so as the workloads load"
                + " it (built by the project at marker/target/libaiprof.so)");
      }
    }
    return new ArrayList<>(given);
  }

  private void attach(LibraryId id, List<Path> candidates) {
    RuntimeException last = null;
    for (Path p : candidates) {
      try {
        probe.attach(id, p);
        return;
      } catch (RuntimeException e) {
        last = e; // that process may have exited: try the next path to the same file
      }
    }
    failed.add(id);
    LOG.log(
        System.Logger.Level.WARNING,
        "cannot attach to libaiprof.so " + candidates.getFirst() + ": " + last.getMessage());
  }

  private void scanQuietly() {
    try {
      scan();
      scanFailing = false;
    } catch (Exception | LinkageError e) {
      if (!scanFailing) {
        LOG.log(System.Logger.Level.WARNING, "marker library scan failed (logged once): " + e);
      }
      scanFailing = true;
    }
  }

  private void collect(MetricSink sink) {
    for (PhaseOrigin o : List.of(PhaseOrigin.MARKER, PhaseOrigin.NVTX)) {
      sink.counter(
          MarkerMetrics.PHASES, Attributes.of(MarkerMetrics.ORIGIN, o.label()), events.phases(o));
    }
    PhaseStacks.Losses l = events.losses();
    lost(sink, "unmatched_end", l.unmatchedEnds());
    lost(sink, "too_deep", l.tooDeep());
    lost(sink, "threads_full", l.threadsFull());
    lost(sink, "abandoned", l.abandoned());
    sink.gauge(MarkerMetrics.LIBRARIES, Attributes.empty(), probe.attached().size());
    sink.gauge(MarkerMetrics.PROCESSES, Attributes.empty(), processes);
    Attributes self = Attributes.of(SchedMetrics.PROBE, MarkerProvider.NAME);
    sink.counter(SchedMetrics.PROBE_EVENTS, self, probe.counter(PhaseCounter.EVENTS));
    sink.counter(SchedMetrics.PROBE_DROPPED, self, probe.counter(PhaseCounter.EVENTS_DROPPED));
    SchedMetrics.fault(sink, self, "follow_full", probe.counter(PhaseCounter.FOLLOW_FULL));
    SchedMetrics.fault(sink, self, "handler_failed", ring.failed());
  }

  private static void lost(MetricSink sink, String reason, long n) {
    sink.counter(MarkerMetrics.LOST, Attributes.of(MarkerMetrics.REASON, reason), n);
  }

  /** Counts of calls that did not become phases (for tests and reports). */
  public long unmatchedEnds() {
    return events == null ? 0 : events.losses().unmatchedEnds();
  }

  @Override
  public void close() {
    if (ring != null) {
      ring.close(); // drains what is left: the last phases reach the engine
      ring = null;
    }
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }
}
