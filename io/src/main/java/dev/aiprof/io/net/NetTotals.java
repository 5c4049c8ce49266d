package dev.aiprof.io.net;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.bpf.net.NetAbi;
import dev.aiprof.bpf.net.NetSocket;
import dev.aiprof.bpf.net.NetWorkload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cumulative TCP totals per workload: the kernel's totals of closed sockets plus what the live
 * sockets moved so far. A socket's bytes move from the one to the other at close, so a read between
 * the two updates could see them twice or not at all; every value reported is the largest seen
 * (cumulative values never go down).
 *
 * <p>Bounds: at most {@code maxSeries} workloads have series of their own, kept until {@link
 * #forget} (their cgroup was removed and their last values exported); a workload past the bound is
 * folded into one overflow series ({@link #OVERFLOW}) until it is forgotten, when its last values
 * stay in that series, which never goes down. At most {@code maxSeries} workloads are tracked in
 * the overflow; beyond them a workload's values are dropped, counted once per read.
 *
 * <p>Thread-safety: synchronized (metric collection and the report read it).
 */
final class NetTotals {
  /** A workload's cgroup identity. */
  record Workload(long cgroupId, long cgroupV1Id) {}

  /** The overflow series' key (no cgroup has these ids): every workload past the bound. */
  static final Workload OVERFLOW = new Workload(-1, -1);

  /** Cumulative values of a workload. */
  record Values(
      long sent,
      long received,
      long retransmits,
      long openedClient,
      long openedServer,
      long closed,
      long failed,
      long durationNs,
      Log2Histogram durations) {
    static final Values ZERO =
        new Values(0, 0, 0, 0, 0, 0, 0, 0, Log2Histogram.empty(NetAbi.HIST_SLOTS));

    Values max(Values o) {
      return new Values(
          Math.max(sent, o.sent),
          Math.max(received, o.received),
          Math.max(retransmits, o.retransmits),
          Math.max(openedClient, o.openedClient),
          Math.max(openedServer, o.openedServer),
          Math.max(closed, o.closed),
          Math.max(failed, o.failed),
          Math.max(durationNs, o.durationNs),
          durations.total() >= o.durations.total() ? durations : o.durations);
    }

    Values minus(Values o) {
      return new Values(
          sent - o.sent,
          received - o.received,
          retransmits - o.retransmits,
          openedClient - o.openedClient,
          openedServer - o.openedServer,
          closed - o.closed,
          failed - o.failed,
          durationNs - o.durationNs,
          durations.minus(o.durations));
    }

    Values plus(Values o) {
      return new Values(
          sent + o.sent,
          received + o.received,
          retransmits + o.retransmits,
          openedClient + o.openedClient,
          openedServer + o.openedServer,
          closed + o.closed,
          failed + o.failed,
          durationNs + o.durationNs,
          durations.plus(o.durations));
    }

    long opened() {
      return openedClient + openedServer;
    }
  }

  private final int maxSeries;
  private final Map<Workload, Values> reported = new HashMap<>();
  private final Map<Workload, Values> overflowed = new HashMap<>();
  private Values overflowGone = Values.ZERO;
  private long dropped;

  NetTotals(int maxSeries) {
    this.maxSeries = maxSeries;
  }

  /**
   * Merges a fresh read of the kernel's maps; returns every workload's totals now, and those of
   * workloads past the bound under {@link #OVERFLOW} when there are any.
   */
  synchronized Map<Workload, Values> update(List<NetWorkload> closed, List<NetSocket> live) {
    Map<Workload, Values> now = combine(closed, live);
    for (Map.Entry<Workload, Values> e : now.entrySet()) {
      Workload w = e.getKey();
      Values was = reported.get(w);
      if (was != null || (!overflowed.containsKey(w) && reported.size() < maxSeries)) {
        reported.put(w, was == null ? e.getValue() : was.max(e.getValue()));
        continue;
      }
      Values over = overflowed.get(w);
      if (over == null && overflowed.size() >= maxSeries) {
        dropped++;
        continue;
      }
      overflowed.put(w, over == null ? e.getValue() : over.max(e.getValue()));
    }
    Map<Workload, Values> out = new HashMap<>(reported);
    if (!overflowed.isEmpty() || overflowGone != Values.ZERO) {
      Values sum = overflowGone;
      for (Values v : overflowed.values()) {
        sum = sum.plus(v);
      }
      out.put(OVERFLOW, sum);
    }
    return out;
  }

  /**
   * Forgets a workload whose cgroup was removed, after its last values were exported; a workload of
   * the overflow leaves its values in it.
   */
  synchronized void forget(Workload w) {
    reported.remove(w);
    Values over = overflowed.remove(w);
    if (over != null) {
      overflowGone = overflowGone.plus(over);
    }
  }

  /** The workloads held (series of their own and in the overflow). */
  synchronized List<Workload> workloads() {
    List<Workload> out = new ArrayList<>(reported.keySet());
    out.addAll(overflowed.keySet());
    return out;
  }

  /** The kernel's closed totals plus the live sockets' counts, per workload. Pure. */
  static Map<Workload, Values> combine(List<NetWorkload> closed, List<NetSocket> live) {
    Map<Workload, Values> out = new HashMap<>();
    for (NetWorkload w : closed) {
      out.put(
          new Workload(w.cgroupId(), w.cgroupV1Id()),
          new Values(
              w.sent(),
              w.received(),
              w.retransmits(),
              w.openedClient(),
              w.openedServer(),
              w.closed(),
              w.failed(),
              w.durationNs(),
              w.durations()));
    }
    for (NetSocket s : live) {
      Workload k = new Workload(s.cgroupId(), s.cgroupV1Id());
      Values v = out.getOrDefault(k, Values.ZERO);
      out.put(
          k,
          new Values(
              v.sent() + s.sent(),
              v.received() + s.received(),
              v.retransmits() + s.retransmits(),
              v.openedClient(),
              v.openedServer(),
              v.closed(),
              v.failed(),
              v.durationNs(),
              v.durations()));
    }
    return out;
  }

  /** Workloads past the series and overflow bounds, counted once per read. */
  synchronized long dropped() {
    return dropped;
  }
}
