package dev.aiprof.collectors.marker;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.bpf.RingBufferPoller;
import dev.aiprof.bpf.phase.LibraryId;
import dev.aiprof.bpf.phase.PhaseConfig;
import dev.aiprof.bpf.phase.PhaseCounter;
import dev.aiprof.bpf.phase.PhaseProbe;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.sched.SchedCollector;
import dev.aiprof.collectors.sched.SchedMetrics;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Phase source for libaiprof.so: finds processes that map the library (a scan of {@code
 * /proc/*}{@code /maps} every {@code marker.scan-interval}, default 2s), attaches the {@link
 * PhaseProbe} to each distinct library file (detaching when no process maps it any more), pairs
 * begin/end calls per thread into phases and reports them to {@link CollectorContext#phases()},
 * with {@code onProcess(pid)} at first contact. Origin is MARKER or NVTX by uprobe cookie.
 *
 * <p>In-kernel following: when the agent also runs the scheduler collector, call {@link
 * #connect(List)} on the created collectors before starting them (or {@link #followWith}); the
 * probe then shares the scheduler probe's follow maps and a process is followed from its first
 * marker call. Without it, following is left to {@code onProcess}.
 *
 * <p>A library mapped after a scan is caught at the next one, so a process's first calls can be
 * missed. Libraries named in {@code marker.libraries} (comma-separated paths) are attached at start
 * and stay attached: the kernel arms their uprobes in every process that maps them later, from its
 * first call on (the way to catch NVTX injection, which loads the library at the first range).
 *
 * <p>Settings: {@code marker.libraries} (none), {@code marker.scan-interval} (2s: new processes are
 * read then), {@code marker.reread-interval} (30s: known processes are read again, to find a
 * library loaded later with dlopen), {@code marker.drain-interval} (10ms). Threads: {@code
 * aiprof-phase-events} drains the ring and delivers phases, {@code aiprof-marker-scan} scans /proc;
 * {@link #collect} may run on a third. {@link #close} stops both.
 */
public final class MarkerCollector implements Collector {
  public static final String NAME = "marker";
  private LibraryScan.Cache scanCache = new LibraryScan.Cache(0, System::nanoTime);
  private static final System.Logger LOG = System.getLogger(MarkerCollector.class.getName());
  private static final int MAX_THREADS = 65_536;
  private static final int MAX_DEPTH = 64;

  private Supplier<SchedProbe> followInto = () -> null;
  private final Set<LibraryId> failed = new HashSet<>();
  private final Set<LibraryId> pinned = new HashSet<>();
  private HostPaths paths;
  private PhaseProbe probe;
  private MarkerEvents events;
  private RingBufferPoller poller;
  private ScheduledExecutorService scanner;
  private volatile int processes;
  private boolean scanFailing;

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Wires {@code collectors}: if they hold a {@link SchedCollector} and a MarkerCollector, the
   * marker collector follows processes through the scheduler probe. Call before the runner starts
   * them; the scheduler collector must start first (it is registered first).
   */
  public static void connect(List<? extends Collector> collectors) {
    SchedCollector sched = null;
    MarkerCollector marker = null;
    for (Collector c : collectors) {
      if (c instanceof SchedCollector s) {
        sched = s;
      } else if (c instanceof MarkerCollector m) {
        marker = m;
      }
    }
    if (sched != null && marker != null) {
      marker.followWith(sched::probe);
    }
  }

  /**
   * The scheduler probe to follow processes in, asked for at {@link #start}; it may answer null
   * (the scheduler collector did not start), and then following is skipped.
   */
  public MarkerCollector followWith(Supplier<SchedProbe> sched) {
    this.followInto = sched;
    return this;
  }

  @Override
  public void start(CollectorContext context) throws Exception {
    paths = context.paths();
    scanCache =
        new LibraryScan.Cache(
            context.duration("marker.reread-interval", Duration.ofSeconds(30)).toNanos(),
            System::nanoTime);
    List<Path> pinnedPaths = pinnedLibraries(context.setting("marker.libraries", ""));
    SchedProbe sched = followInto.get();
    probe = PhaseProbe.load(context.features(), PhaseConfig.defaults(), sched);
    events = new MarkerEvents(context.phases(), MAX_THREADS, MAX_DEPTH, probe.followsInKernel());
    Duration drain = context.duration("marker.drain-interval", Duration.ofMillis(10));
    poller = probe.pollEvents(events, drain);
    for (Path p : pinnedPaths) {
      LibraryId id = LibraryId.of(p);
      probe.attach(id, p);
      pinned.add(id);
    }
    scan();
    long every = context.duration("marker.scan-interval", Duration.ofSeconds(2)).toMillis();
    scanner =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("aiprof-marker-scan").unstarted(r));
    scanner.scheduleWithFixedDelay(this::scanQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** Whether calling processes are followed in the kernel (the scheduler probe was given). */
  public boolean followsInKernel() {
    return probe != null && probe.followsInKernel();
  }

  /** The loaded probe; null before start. */
  public PhaseProbe probe() {
    return probe;
  }

  /** Runs one discovery pass now (the scanner thread runs them on its own schedule). */
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
  static List<Path> pinnedLibraries(String setting) {
    List<Path> out = new ArrayList<>();
    for (String s : setting.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      Path p = Path.of(s.strip());
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new IllegalArgumentException(
            "marker.libraries: "
                + p
                + " is not a readable file; give the path of libaiprof.so as the workloads load"
                + " it (built by the project at marker/target/libaiprof.so)");
      }
      out.add(p);
    }
    return out;
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

  @Override
  public void collect(MetricSink sink) {
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
    Attributes self = Attributes.of(SchedMetrics.PROBE, NAME);
    sink.counter(SchedMetrics.PROBE_EVENTS, self, probe.counter(PhaseCounter.EVENTS));
    sink.counter(SchedMetrics.PROBE_DROPPED, self, probe.counter(PhaseCounter.EVENTS_DROPPED));
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
    if (scanner != null) {
      scanner.shutdownNow();
      try {
        scanner.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scanner = null;
    }
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
