package dev.aiprof.io.file;

import dev.aiprof.api.Cgroups;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.RemovedCgroups;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.bpf.fileio.FileIoConfig;
import dev.aiprof.bpf.fileio.FileIoOp;
import dev.aiprof.bpf.fileio.FileIoProbe;
import dev.aiprof.bpf.fileio.FileIoSlot;
import dev.aiprof.bpf.fileio.SlowRead;
import dev.aiprof.collectors.sched.SchedProvider;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * The {@code fileio} collector: loads the {@link FileIoProbe} (sharing the scheduler probe's
 * followed-process map when the sched collector runs), and every {@code fileio.drain-interval}
 * reads and deletes the kernel's ended per-thread slots into {@link ThreadActivity}, which the
 * phase signal ({@link FileIoSignal}) reads; slow reads arrive through the host's ring poller.
 * Every {@code fileio.process-check-interval} the entries of exited processes are folded into their
 * workload ({@link FileIoTotals}) and deleted from the kernel's map; every {@code CGROUP_CHECK} the
 * totals of removed cgroups are forgotten once a collection exported their last values ({@link
 * RemovedCgroups}).
 *
 * <p>Bounds: the kernel's maps (16,384 processes, 16,384 slot entries, a 256 KiB ring), {@value
 * #MAX_SERIES} workload series (then one overflow series), {@value #MAX_EXITED} exited processes
 * remembered for a report window, {@value #MAX_THREADS} threads × {@value #MAX_SLOTS} slots and
 * {@value #MAX_SLOW} slow reads each; what exceeds one is dropped and counted.
 *
 * <p>Threads: housekeeping drains and folds; the ring poller delivers slow reads; the engine
 * describes phases; metrics are collected on another. Shared state is synchronized.
 */
public final class FileIoCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(FileIoCollector.class.getName());
  static final int MAX_SERIES = 4096;
  static final int MAX_EXITED = 1024;
  static final int MAX_THREADS = 4096;
  static final int MAX_SLOTS = 2048;
  static final int MAX_SLOW = 256;
  private static final int MAX_EVENTS_PER_PHASE = 8;
  static final Duration CGROUP_CHECK = Duration.ofSeconds(10);

  private final FileIoTotals totals = new FileIoTotals(MAX_SERIES, MAX_EXITED);
  private final ThreadActivity<ProcessKey, FileIoSlot, SlowRead> activity =
      new ThreadActivity<>(MAX_THREADS, MAX_SLOTS, MAX_SLOW);
  private volatile long slotsCompleteUntil = Long.MIN_VALUE;
  private HostPaths paths;
  private long retentionNs;
  private FileIoProbe probe;
  private RingPoller.Ring ring;
  private boolean drainFailing;
  private boolean foldFailing;
  private RemovedCgroups removedCgroups;

  @Override
  public void start(CollectorContext context) throws Exception {
    Settings s = context.settings();
    paths = context.paths();
    retentionNs = s.get(FileIoSettings.RETENTION).toNanos();
    FileIoConfig config =
        FileIoConfig.defaults()
            .withSelfPid((int) ProcessHandle.current().pid())
            .withSlowReadNs(s.get(FileIoSettings.SLOW_READ_THRESHOLD).toNanos());
    Follows follows = context.follows();
    FollowMaps follow = context.dependency(SchedProvider.NAME, FollowMaps.class).orElse(null);
    probe = FileIoProbe.load(context.host(Features.class), config, follow);
    ring = context.host(RingPoller.class).add(probe.events(), (a, n) -> slowRead(SlowRead.at(a)));
    RingPoller.Ring r = ring;
    removedCgroups = new RemovedCgroups(context.host(Cgroups.class));
    RemovedCgroups removed = removedCgroups;
    FileIoReport report =
        new FileIoReport(totals, activity, probe, this::refresh, r::failed, removed::removed);
    context.metrics(removed.exporting(report::collect));
    context.signal(
        new FileIoSignal(
            activity,
            follow != null,
            follows::followed,
            () -> slotsCompleteUntil,
            r::drainedUntil,
            config.slotNanos(),
            MAX_EVENTS_PER_PHASE));
    context.report(new FileIoReportSection(totals, this::refresh, this::attached));
    context.offer(FileIoCollector.class, this);
    context.every("drain", s.get(FileIoSettings.DRAIN_INTERVAL), this::drainQuietly);
    context.every("fold", s.get(FileIoSettings.PROCESS_CHECK_INTERVAL), this::foldQuietly);
    context.every("cgroups", CGROUP_CHECK, this::forgetRemovedCgroups);
    if (follow == null) {
      LOG.log(
          System.Logger.Level.INFO,
          "fileio: the sched collector does not run, so no process is followed: phases get no"
              + " file I/O (per-workload metrics go on)");
    }
  }

  /** A slow read: kept per thread when its process is followed (others count in the totals). */
  private void slowRead(SlowRead r) {
    if (r.followed()) {
      activity.addEvent(r);
    }
  }

  /** The loaded probe; null before start. */
  public FileIoProbe probe() {
    return probe;
  }

  /** What the probe traces, in one line. */
  String attached() {
    String ops =
        probe.traced().stream().map(FileIoOp::syscall).sorted().collect(Collectors.joining(", "));
    return "traced: "
        + ops
        + (probe.pageCache() ? "; page cache" : "; no page-cache tracepoint")
        + (probe.majorFaults()
            ? "; major faults"
            : "; no major faults (" + probe.majorFaultsMissing() + ")");
  }

  /**
   * Takes the kernel's per-process entries now (under the lock fold takes: no entry is both folded
   * and live).
   */
  synchronized void refresh() {
    totals.refresh(probe.stats());
  }

  /** Reads and deletes the kernel's ended slots now (housekeeping does it on its schedule). */
  public synchronized void drain() {
    long now = System.nanoTime(); // CLOCK_MONOTONIC, as bpf_ktime_get_ns
    long before = probe.slotOf(now) - 1;
    probe.drainEnded(before, activity::addSlot);
    slotsCompleteUntil = before << probe.config().slotShift();
    activity.prune(now - retentionNs);
  }

  /**
   * Folds and forgets the entries of processes that exited: those whose pid is gone, or now names
   * another process (a different start in {@code /proc/PID/stat}).
   */
  public synchronized void fold() {
    probe.forget(new LiveProcesses(paths)::alive, totals::exited);
    refresh();
  }

  /** Forgets the totals of removed cgroups once a collection exported their last values. */
  void forgetRemovedCgroups() {
    removedCgroups.sweep(
        totals::held,
        FileIoTotals.Workload::cgroupId,
        FileIoTotals.Workload::cgroupV1Id,
        id -> totals.forget(new FileIoTotals.Workload(id.v2(), id.v1())));
  }

  private void drainQuietly() {
    try {
      drain();
      drainFailing = false;
    } catch (RuntimeException e) {
      if (!drainFailing) {
        LOG.log(System.Logger.Level.WARNING, "file-I/O slot drain failed (logged once): " + e);
      }
      drainFailing = true;
    }
  }

  private void foldQuietly() {
    try {
      fold();
      foldFailing = false;
    } catch (RuntimeException e) {
      if (!foldFailing) {
        LOG.log(System.Logger.Level.WARNING, "file-I/O process check failed (logged once): " + e);
      }
      foldFailing = true;
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
