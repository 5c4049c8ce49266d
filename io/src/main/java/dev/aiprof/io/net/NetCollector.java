package dev.aiprof.io.net;

import dev.aiprof.api.Cgroups;
import dev.aiprof.api.RemovedCgroups;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.follow.Followed;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.net.NetConfig;
import dev.aiprof.bpf.net.NetProbe;
import dev.aiprof.bpf.net.NetSlot;
import dev.aiprof.bpf.net.NetSocket;
import dev.aiprof.bpf.net.NetWorkload;
import dev.aiprof.collectors.sched.SchedProvider;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code net} collector: loads the TCP probe ({@link NetProbe}), sharing the scheduler probe's
 * followed map when the sched collector runs, and reports per-workload TCP metrics ({@link
 * NetReport}), a phase signal for threads of followed processes ({@link NetSignal}) and the
 * report's network section. Every {@code net.drain-interval} followed threads' ended slots are
 * read, deleted and kept for {@code net.retention} ({@link ThreadActivity}); peers not updated for
 * {@code net.peer-retention} are forgotten.
 *
 * <p>Bounds: the kernel's maps ({@code net.socket-entries} sockets, 4,096 workloads, {@code
 * net.peer-entries} peers, 16,384 thread slots), {@value #MAX_SERIES} workload series (then one
 * overflow series), 4,096 threads × 1,024 slots of activity; what exceeds one is dropped and
 * counted. Every {@code CGROUP_CHECK} the totals of removed cgroups (kernel map and {@link
 * NetTotals}) are deleted once a collection exported their last values ({@link RemovedCgroups}),
 * unless a socket of theirs still lives (its bytes would start the workload again from zero).
 *
 * <p>Threads: housekeeping drains and sweeps; the engine describes phases; metrics are collected on
 * another. Shared state is synchronized.
 */
public final class NetCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(NetCollector.class.getName());
  static final int MAX_SERIES = 4096;
  static final Duration CGROUP_CHECK = Duration.ofSeconds(10);

  private final NetTotals totals = new NetTotals(MAX_SERIES);
  private final ThreadActivity<Integer, NetSlot, ThreadActivity.Event<Integer>> activity =
      new ThreadActivity<>(4096, 1024, 0);
  private volatile long slotsCompleteUntil = Long.MIN_VALUE;
  private long retentionNs;
  private long peerRetentionNs;
  private NetProbe probe;
  private RemovedCgroups removedCgroups;
  private boolean drainFailing;

  @Override
  public void start(CollectorContext context) {
    Settings s = context.settings();
    retentionNs = s.get(NetSettings.RETENTION).toNanos();
    peerRetentionNs = s.get(NetSettings.PEER_RETENTION).toNanos();
    NetConfig config =
        new NetConfig(
            s.get(NetSettings.SOCKET_ENTRIES),
            s.get(NetSettings.PEER_ENTRIES),
            s.get(NetSettings.SLOW_RTT).toNanos() / 1000,
            NetConfig.defaults().slotShift());
    FollowMaps follow = context.dependency(SchedProvider.NAME, FollowMaps.class).orElse(null);
    probe = NetProbe.load(context.host(Features.class), config, follow);
    if (!probe.countsBytes()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "TCP bytes are not counted: this kernel has no sock_send_length/sock_recv_length"
              + " tracepoints (Linux 6.3+); connections and retransmits are");
    }
    removedCgroups = new RemovedCgroups(context.host(Cgroups.class));
    NetReport report = new NetReport(probe, totals, activity, removedCgroups);
    context.metrics(removedCgroups.exporting(report::collect));
    if (follow != null) {
      Follows follows = context.follows();
      context.signal(
          new NetSignal(
              activity,
              pid -> follows.followed(pid).map(Followed::sinceNs).orElse(Long.MAX_VALUE),
              () -> slotsCompleteUntil,
              probe.config().slotNanos()));
    }
    context.report(new NetReportSection(probe, totals));
    context.offer(NetCollector.class, this);
    context.every("drain", s.get(NetSettings.DRAIN_INTERVAL), this::drainQuietly);
    context.every("cgroups", CGROUP_CHECK, this::forgetRemovedCgroups);
  }

  /** The loaded probe; null before start. */
  public NetProbe probe() {
    return probe;
  }

  /** Reads and deletes the kernel's ended slots now (housekeeping does it on its schedule). */
  public synchronized void drain() {
    long now = System.nanoTime(); // CLOCK_MONOTONIC, as bpf_ktime_get_ns
    long before = probe.slotOf(now) - 1;
    probe.drainEnded(before, activity::addSlot);
    slotsCompleteUntil = before << probe.config().slotShift();
    activity.prune(now - retentionNs);
    probe.forgetPeers(now - peerRetentionNs);
  }

  /**
   * Deletes the totals of removed cgroups, in the kernel and here, once a collection exported their
   * last values; workloads with live sockets wait for them to close.
   */
  void forgetRemovedCgroups() {
    NetProbe p = probe;
    removedCgroups.sweep(
        () -> {
          Set<NetTotals.Workload> held = new HashSet<>(totals.workloads());
          for (NetWorkload w : p.workloads()) {
            held.add(new NetTotals.Workload(w.cgroupId(), w.cgroupV1Id()));
          }
          for (NetSocket s : p.sockets()) {
            held.remove(new NetTotals.Workload(s.cgroupId(), s.cgroupV1Id()));
          }
          return held;
        },
        NetTotals.Workload::cgroupId,
        NetTotals.Workload::cgroupV1Id,
        id -> {
          p.removeWorkload(id.v2(), id.v1());
          totals.forget(new NetTotals.Workload(id.v2(), id.v1()));
        });
  }

  private void drainQuietly() {
    try {
      drain();
      drainFailing = false;
    } catch (RuntimeException e) {
      if (!drainFailing) {
        LOG.log(System.Logger.Level.WARNING, "TCP slot drain failed (logged once): " + e);
      }
      drainFailing = true;
    }
  }

  @Override
  public void close() {
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }
}
