package dev.aiprof.gpu.cuda;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.bpf.cuda.CudaApi;
import dev.aiprof.bpf.cuda.CudaConfig;
import dev.aiprof.bpf.cuda.CudaProbe;
import dev.aiprof.bpf.cuda.CudaSlot;
import dev.aiprof.bpf.cuda.CudaWait;
import dev.aiprof.bpf.phase.LibraryId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cuda} collector: finds processes that map the CUDA driver ({@code libcuda.so.1}) or a
 * runtime ({@code libcudart.so.*}, hashed wheel copies too) by a scan of {@code /proc/*}{@code
 * /maps} every {@code cuda.scan-interval} (through {@code /proc/PID/root}, so containers work),
 * attaches the {@link CudaProbe} once per library file (the kernel arms it in every process that
 * maps the file, later ones included) and detaches when no process maps it. New CUDA processes are
 * handed to the follow service. Every {@code cuda.drain-interval} the kernel's ended statistics
 * slots are read, deleted and summed into per-workload totals ({@link CudaTotals}) and per-thread
 * activity ({@link ThreadActivity}) that the phase signal ({@link CudaSignal}) reads.
 *
 * <p>Bounds: the kernel's maps (16,384 slot entries, 65,536 allocations, 1,024 histograms), 4,096
 * metric series, 4,096 threads × 1,024 slots and 1,024 long waits each, {@value #MAX_PROCESSES}
 * processes remembered by the scan; what exceeds one is dropped and counted.
 *
 * <p>Threads: housekeeping scans and drains; the host's ring poller delivers long waits; the engine
 * describes phases; metrics are collected on another. Shared state is synchronized.
 */
public final class CudaCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(CudaCollector.class.getName());
  static final int MAX_PROCESSES = 16_384;
  private static final int MAX_SERIES = 4096;
  private static final int MAX_EVENTS_PER_PHASE = 8;

  private final Set<LibraryId> failed = new HashSet<>();
  private final CudaTotals totals = new CudaTotals(MAX_SERIES);
  private final ThreadActivity<Integer, CudaSlot, CudaWait> activity =
      new ThreadActivity<>(4096, 1024, 1024);
  private volatile Set<Integer> cudaPids = Set.of();
  private volatile long slotsCompleteUntil = Long.MIN_VALUE;
  private CudaLibraryScan.Cache cache;
  private HostPaths paths;
  private Follows follows;
  private long retentionNs;
  private CudaProbe probe;
  private RingPoller.Ring ring;
  private CudaReport report;
  private boolean scanFailing;
  private boolean drainFailing;

  @Override
  public void start(CollectorContext context) throws Exception {
    Settings s = context.settings();
    paths = context.paths();
    follows = context.follows();
    retentionNs = s.get(CudaSettings.RETENTION).toNanos();
    cache =
        new CudaLibraryScan.Cache(
            s.get(CudaSettings.REREAD_INTERVAL).toNanos(), System::nanoTime, MAX_PROCESSES);
    CudaConfig config =
        new CudaConfig(
            CudaConfig.defaults().ringBytes(),
            s.get(CudaSettings.WAIT_EVENT_THRESHOLD).toNanos(),
            CudaConfig.defaults().slotShift());
    probe = CudaProbe.load(context.host(Features.class), config);
    ring =
        context
            .host(RingPoller.class)
            .add(probe.events(), (a, n) -> activity.addEvent(CudaWait.at(a)));
    RingPoller.Ring r = ring;
    report = new CudaReport(totals, activity, probe, () -> cudaPids, r::failed);
    scan();
    context.metrics(report::collect);
    context.signal(
        new CudaSignal(
            activity,
            pid -> cudaPids.contains(pid),
            () -> slotsCompleteUntil,
            ring::drainedUntil,
            config.slotShift(),
            MAX_EVENTS_PER_PHASE));
    context.report(
        new CudaReportSection(
            totals, this::drainQuietly, () -> probe.attached().size(), () -> cudaPids.size()));
    context.offer(CudaCollector.class, this);
    context.every("scan", s.get(CudaSettings.SCAN_INTERVAL), this::scanQuietly);
    context.every("drain", s.get(CudaSettings.DRAIN_INTERVAL), this::drainQuietly);
  }

  /** The loaded probe; null before start. */
  public CudaProbe probe() {
    return probe;
  }

  /** Processes that mapped a CUDA library at the last scan. */
  public Set<Integer> processes() {
    return cudaPids;
  }

  /** Runs one discovery pass now (housekeeping runs them on its own schedule). */
  public synchronized void scan() throws IOException {
    CudaLibraryScan found = CudaLibraryScan.of(paths, cache);
    Map<LibraryId, CudaApi> attached = probe.attached();
    for (Map.Entry<LibraryId, CudaLibraryScan.Found> e : found.libraries().entrySet()) {
      if (!attached.containsKey(e.getKey()) && !failed.contains(e.getKey())) {
        attach(e.getKey(), e.getValue());
      }
    }
    probe.retainOnly(found.libraries().keySet());
    failed.retainAll(found.libraries().keySet());
    Set<Integer> before = cudaPids;
    Set<Integer> now = Set.copyOf(found.byPid().keySet());
    for (int pid : now) {
      if (!before.contains(pid)) {
        follows.follow(pid);
      }
    }
    cudaPids = now;
    // Every live process, not only those seen mapping CUDA: one that dlopen()ed libcuda after its
    // maps were last read already runs the per-file uprobes, and its allocations must be kept.
    totals.retainProcesses(found.live());
    probe.forgetAllocations(found.live());
  }

  private void attach(LibraryId id, CudaLibraryScan.Found found) {
    RuntimeException last = null;
    for (Path p : found.paths()) {
      try {
        probe.attach(found.library().api(), id, p);
        return;
      } catch (RuntimeException e) {
        last = e; // that process may have exited: try the next path to the same file
      }
    }
    failed.add(id);
    LOG.log(
        System.Logger.Level.WARNING,
        "cannot attach to CUDA library " + found.paths().getFirst() + ": " + last.getMessage());
  }

  /** Reads and deletes the kernel's ended slots now (housekeeping does it on its schedule). */
  public synchronized void drain() {
    long now = System.nanoTime(); // CLOCK_MONOTONIC, as bpf_ktime_get_ns
    long before = probe.slotOf(now) - 1;
    probe.drainEnded(
        before,
        s -> {
          totals.add(s);
          activity.addSlot(s);
        });
    slotsCompleteUntil = before << probe.config().slotShift();
    long keep = now - retentionNs;
    activity.prune(keep);
  }

  private void scanQuietly() {
    try {
      scan();
      scanFailing = false;
    } catch (Exception | LinkageError e) {
      if (!scanFailing) {
        LOG.log(System.Logger.Level.WARNING, "CUDA library scan failed (logged once): " + e);
      }
      scanFailing = true;
    }
  }

  private void drainQuietly() {
    try {
      drain();
      drainFailing = false;
    } catch (RuntimeException e) {
      if (!drainFailing) {
        LOG.log(System.Logger.Level.WARNING, "CUDA statistics drain failed (logged once): " + e);
      }
      drainFailing = true;
    }
  }

  @Override
  public void close() {
    if (ring != null) {
      ring.close();
      ring = null;
    }
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }
}
