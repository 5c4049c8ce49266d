package dev.aiprof.io.block;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.aiprof.api.Cgroups;
import dev.aiprof.api.RemovedCgroups;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.bpf.blockio.BlockIoConfig;
import dev.aiprof.bpf.blockio.BlockIoProbe;
import dev.aiprof.bpf.blockio.BlockIoRequest;
import dev.aiprof.bpf.blockio.BlockIoSeries;
import dev.aiprof.collectors.sched.SchedProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code blockio} collector: loads the {@link BlockIoProbe} (every block request from start to
 * completion), exports its per-workload, per-disk series as metrics, keeps followed threads'
 * requests ({@link BlockIoActivity}) for the phase signal ({@link BlockIoSignal}), and writes the
 * report's block I/O section. With the scheduler collector running, the probe reads its followed
 * map, so the requests of followed processes come one by one; without it, phases are not described.
 *
 * <p>Bounds: the kernel's maps ({@code blockio.inflight-entries} requests in flight, 2,048 series,
 * a 1 MiB ring), {@value #MAX_THREADS} threads × {@value #PER_THREAD} requests and {@value
 * #MAX_SLOW} slow requests in user space, {@value #MAX_DEVICES} device names; what exceeds one is
 * dropped and counted. The series of removed cgroups are deleted (every {@code CGROUP_CHECK}, once
 * a collection exported their last values: {@link RemovedCgroups}), so pod churn does not fill the
 * series map.
 *
 * <p>Threads: the host's ring poller delivers requests; housekeeping prunes and sweeps; the engine
 * describes phases; metrics are collected on another. Shared state is synchronized.
 */
public final class BlockIoCollector implements Collector {
  static final int MAX_THREADS = 4096;
  static final int PER_THREAD = 4096;
  static final int MAX_SLOW = 256;
  static final int MAX_DEVICES = 1024;
  private static final int MAX_EVENTS_PER_PHASE = 8;
  static final Duration CGROUP_CHECK = Duration.ofSeconds(10);

  /** At most one read of the in-flight map per this long, while phases wait for one. */
  private static final long INFLIGHT_READ_NS = 10_000_000;

  private final BlockIoActivity activity = new BlockIoActivity(MAX_THREADS, PER_THREAD, MAX_SLOW);
  private final AtomicLong stale = new AtomicLong();
  private BlockIoProbe probe;
  private RingPoller.Ring ring;
  private FollowMaps follows;
  private long retentionNs;
  private long inflightTimeoutNs;
  private RemovedCgroups removedCgroups;

  @Override
  public void start(CollectorContext context) throws Exception {
    Settings s = context.settings();
    retentionNs = s.get(BlockIoSettings.RETENTION).toNanos();
    inflightTimeoutNs = s.get(BlockIoSettings.INFLIGHT_TIMEOUT).toNanos();
    follows = context.dependency(SchedProvider.NAME, FollowMaps.class).orElse(null);
    BlockIoConfig d = BlockIoConfig.defaults();
    BlockIoConfig config =
        new BlockIoConfig(
            d.ringBytes(),
            s.get(BlockIoSettings.INFLIGHT_ENTRIES),
            d.statsEntries(),
            s.get(BlockIoSettings.SLOW_THRESHOLD).toNanos());
    probe = BlockIoProbe.load(context.host(Features.class), config, follows);
    ring = context.host(RingPoller.class).add(probe.events(), (a, n) -> add(a));
    DeviceNames names =
        new DeviceNames(
            context.paths(), MAX_DEVICES, Duration.ofSeconds(10).toNanos(), System::nanoTime);
    RingPoller.Ring r = ring;
    removedCgroups = new RemovedCgroups(context.host(Cgroups.class));
    context.metrics(
        removedCgroups.exporting(
            new BlockIoReport(probe, names, activity, stale::get, r::failed, removedCgroups)
                ::collect));
    if (follows != null) {
      context.signal(
          new BlockIoSignal(
              activity,
              this::followed,
              r::drainedUntil,
              new InflightView(probe::inflightRequests, System::nanoTime, INFLIGHT_READ_NS),
              names::name,
              MAX_EVENTS_PER_PHASE));
    }
    BlockIoProbe loaded = probe;
    context.report(
        new BlockIoReportSection(
            loaded::series,
            activity,
            names::name,
            System::nanoTime,
            () -> summary(loaded),
            loaded::programStats));
    context.offer(BlockIoCollector.class, this);
    context.every("prune", Duration.ofSeconds(5), this::prune);
    context.every("cgroups", CGROUP_CHECK, this::forgetRemovedCgroups);
  }

  private void add(long address) {
    activity.add(BlockIoRequest.at(address));
  }

  /** Whether the kernel follows {@code pid} (its requests are sent one by one). */
  private boolean followed(int pid) {
    BpfMap m = follows.followedMap();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocateFrom(JAVA_INT, pid);
      return m.lookup(key, a.allocate(m.valueBufferSize(), 8));
    }
  }

  /** Forgets old requests and in-flight entries the kernel never completed. */
  void prune() {
    long now = System.nanoTime(); // CLOCK_MONOTONIC, as bpf_ktime_get_ns
    activity.prune(now - retentionNs);
    stale.addAndGet(probe.pruneInflight(now - inflightTimeoutNs));
  }

  /** Deletes the series of removed cgroups once a collection exported their last values. */
  void forgetRemovedCgroups() {
    BlockIoProbe p = probe;
    removedCgroups.sweepAll(
        p::series,
        BlockIoSeries::cgroupId,
        BlockIoSeries::cgroupV1Id,
        due -> p.removeWorkloads((v2, v1) -> due.contains(new RemovedCgroups.Id(v2, v1))));
  }

  /** One line on what the probe hooks and what it sent. */
  private String summary(BlockIoProbe p) {
    return String.format(
        "probe: %s variant on %s; %d events sent, %d dropped%s",
        p.variant().name().toLowerCase(java.util.Locale.ROOT),
        String.join(" → ", p.attachedHooks().tracepoints()),
        p.counter(dev.aiprof.bpf.blockio.BlockIoCounter.EVENTS),
        p.counter(dev.aiprof.bpf.blockio.BlockIoCounter.EVENTS_DROPPED),
        p.followsInKernel() ? "" : " (no scheduler collector: phases not described)");
  }

  /** The loaded probe; null before start. */
  public BlockIoProbe probe() {
    return probe;
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
