package dev.aiprof.io.net;

import dev.aiprof.api.RemovedCgroups;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.net.NetCounter;
import dev.aiprof.bpf.net.NetPeer;
import dev.aiprof.bpf.net.NetProbe;
import dev.aiprof.bpf.net.NetSocket;
import dev.aiprof.bpf.net.NetWorkload;
import dev.aiprof.bpf.net.TcpState;
import dev.aiprof.collectors.sched.SchedMetrics;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The net collector's metrics on each collection: per workload, bytes by direction, retransmits,
 * connections by event and side, open connections by state and the lifetime histogram; per named
 * remote endpoint, retransmits, slow connections and RTT; about itself, the probe's faults (a full
 * workload map is {@code cgroups_full}), the collector's drops and the removed cgroups it forgot.
 * Workloads past the series bound are one series with {@code otel.metric.overflow=true}.
 * Thread-safety: called on the metrics thread.
 */
final class NetReport {
  private static final List<NetCounter> FAULTS =
      List.of(
          NetCounter.SOCKS_FULL,
          NetCounter.CGROUPS_FULL,
          NetCounter.PEERS_FULL,
          NetCounter.SLOTS_FULL,
          NetCounter.STATE_MISSING);

  private final NetProbe probe;
  private final NetTotals totals;
  private final ThreadActivity<?, ?, ?> activity;
  private final RemovedCgroups removed;

  NetReport(
      NetProbe probe, NetTotals totals, ThreadActivity<?, ?, ?> activity, RemovedCgroups removed) {
    this.probe = probe;
    this.totals = totals;
    this.activity = activity;
    this.removed = removed;
  }

  void collect(MetricSink sink) {
    // Closed totals first: a socket closing between the two reads then counts in neither (the next
    // read has it), never in both (NetTotals keeps the largest value seen, so a double count
    // would stay).
    List<NetWorkload> closed = probe.workloads();
    List<NetSocket> live = probe.sockets();
    totals.update(closed, live).forEach((w, v) -> workload(sink, w, v));
    Map<List<Object>, Long> open = new HashMap<>();
    for (NetSocket s : live) {
      TcpState st = s.state();
      open.merge(
          List.of(s.cgroupId(), s.cgroupV1Id(), st == null ? "unknown" : st.label()),
          1L,
          Long::sum);
    }
    open.forEach(
        (k, n) ->
            sink.gauge(
                NetMetrics.OPEN,
                Identity.cgroup((Long) k.get(0), (Long) k.get(1)).toBuilder()
                    .put(NetMetrics.STATE, (String) k.get(2))
                    .build(),
                n));
    for (NetPeer p : probe.peers()) {
      Attributes a = peerAttributes(p);
      sink.counter(NetMetrics.PEER_RETRANSMITS, a, p.retransmits());
      sink.counter(NetMetrics.PEER_SLOW, a, p.slow());
      sink.gauge(NetMetrics.PEER_RTT, a, p.srttUs() / 1e6);
    }
    self(sink);
  }

  static Attributes peerAttributes(NetPeer p) {
    return Identity.cgroup(p.cgroupId(), p.cgroupV1Id()).toBuilder()
        .put(NetMetrics.PEER_ADDRESS, p.remote().host())
        .put(p.localPort() ? NetMetrics.LOCAL_PORT : NetMetrics.PEER_PORT, (long) p.remote().port())
        .put(NetMetrics.NETWORK_TYPE, p.remote().networkType())
        .build();
  }

  private static void workload(MetricSink sink, NetTotals.Workload w, NetTotals.Values v) {
    Attributes id =
        w.equals(NetTotals.OVERFLOW)
            ? Identity.OVERFLOWED
            : Identity.cgroup(w.cgroupId(), w.cgroupV1Id());
    sink.counter(NetMetrics.BYTES, with(id, NetMetrics.DIRECTION, "transmit"), v.sent());
    sink.counter(NetMetrics.BYTES, with(id, NetMetrics.DIRECTION, "receive"), v.received());
    sink.counter(NetMetrics.RETRANSMITS, id, v.retransmits());
    connections(sink, id, "opened", "client", v.openedClient());
    connections(sink, id, "opened", "server", v.openedServer());
    connections(sink, id, "closed", null, v.closed());
    connections(sink, id, "failed", null, v.failed());
    sink.histogram(NetMetrics.DURATION, id, v.durations(), v.durationNs());
  }

  private static void connections(
      MetricSink sink, Attributes id, String event, String side, long n) {
    var b = id.toBuilder().put(NetMetrics.EVENT, event);
    if (side != null) {
      b.put(NetMetrics.SIDE, side);
    }
    sink.counter(NetMetrics.CONNECTIONS, b.build(), n);
  }

  private static Attributes with(
      Attributes a, io.opentelemetry.api.common.AttributeKey<String> k, String v) {
    return a.toBuilder().put(k, v).build();
  }

  private void self(MetricSink sink) {
    sink.counter(NetMetrics.SEEN_LATE, Attributes.empty(), probe.counter(NetCounter.SEEN_LATE));
    sink.counter(
        NetMetrics.DROPPED, Attributes.of(SchedMetrics.REASON, "series"), totals.dropped());
    sink.counter(NetMetrics.CGROUPS_REMOVED, Attributes.empty(), removed.removed());
    sink.counter(
        NetMetrics.DROPPED, Attributes.of(SchedMetrics.REASON, "activity"), activity.dropped());
    Attributes self = Attributes.of(SchedMetrics.PROBE, NetProvider.NAME);
    for (NetCounter c : FAULTS) {
      SchedMetrics.fault(sink, self, c.label(), probe.counter(c));
    }
  }
}
