package dev.aiprof.io.net;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.bpf.net.NetAbi;
import dev.aiprof.bpf.net.NetSocket;
import dev.aiprof.bpf.net.NetWorkload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cumulative TCP totals per workload: the kernel's totals of closed sockets plus what the live
 * sockets moved so far. A socket's bytes move from the one to the other at close, so a read between
 * the two updates could see them twice or not at all; every value reported is the largest seen
 * (cumulative values never go down). At most {@code maxSeries} workloads; more are dropped and
 * counted.
 *
 * <p>Thread-safety: synchronized (metric collection and the report read it).
 */
final class NetTotals {
  /** A workload's cgroup identity. */
  record Workload(long cgroupId, long cgroupV1Id) {}

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

    long opened() {
      return openedClient + openedServer;
    }
  }

  private final int maxSeries;
  private final Map<Workload, Values> reported = new HashMap<>();
  private long dropped;

  NetTotals(int maxSeries) {
    this.maxSeries = maxSeries;
  }

  /** Merges a fresh read of the kernel's maps; returns every workload's totals now. */
  synchronized Map<Workload, Values> update(List<NetWorkload> closed, List<NetSocket> live) {
    Map<Workload, Values> now = combine(closed, live);
    for (Map.Entry<Workload, Values> e : now.entrySet()) {
      Values was = reported.get(e.getKey());
      if (was == null && reported.size() >= maxSeries) {
        dropped++;
        continue;
      }
      reported.put(e.getKey(), was == null ? e.getValue() : was.max(e.getValue()));
    }
    return Map.copyOf(reported);
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

  /** Workloads past the series bound, counted once per read. */
  synchronized long dropped() {
    return dropped;
  }
}
