package dev.aiprof.io.net;

import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import dev.aiprof.bpf.net.NetPeer;
import dev.aiprof.bpf.net.NetProbe;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The network part of a report: per workload over the window, TCP bytes sent and received,
 * retransmits, connections opened, closed and failed and their median lifetime; then the remote
 * endpoints that retransmitted in the window. The {@code top} rows by bytes; filtered to the cgroup
 * subtree asked for (a process asked for is reported with its whole workload: totals are per
 * cgroup). Lifecycle as {@link ReportSection}; one thread.
 */
final class NetReportSection implements ReportSection {
  private final NetProbe probe;
  private final NetTotals totals;
  private Map<NetTotals.Workload, NetTotals.Values> before = Map.of();
  private Map<NetPeerKey, Long> peersBefore = Map.of();
  private ReportScope scope;

  private record NetPeerKey(long v2, long v1, String endpoint) {}

  NetReportSection(NetProbe probe, NetTotals totals) {
    this.probe = probe;
    this.totals = totals;
  }

  @Override
  public int order() {
    return 600;
  }

  @Override
  public void open(ReportScope scope) {
    this.scope = scope;
    before = totals.update(probe.workloads(), probe.sockets());
    peersBefore = peers();
  }

  private Map<NetPeerKey, Long> peers() {
    Map<NetPeerKey, Long> out = new HashMap<>();
    for (NetPeer p : probe.peers()) {
      out.put(new NetPeerKey(p.cgroupId(), p.cgroupV1Id(), p.remote().toString()), p.retransmits());
    }
    return out;
  }

  private record Row(NetTotals.Workload w, NetTotals.Values d) {}

  @Override
  public void render(ReportWriter out) {
    List<Row> rows = new ArrayList<>();
    totals
        .update(probe.workloads(), probe.sockets())
        .forEach(
            (w, now) -> {
              NetTotals.Values d = now.minus(before.getOrDefault(w, NetTotals.Values.ZERO));
              boolean any =
                  d.sent() + d.received() + d.retransmits() + d.opened() + d.closed() + d.failed()
                      > 0;
              if (any && inScope(w.cgroupId(), w.cgroupV1Id())) {
                rows.add(new Row(w, d));
              }
            });
    out.heading("TCP (network)");
    if (!probe.countsBytes()) {
      out.line("bytes not counted: this kernel has no sock_send_length/sock_recv_length (6.3+)");
    }
    if (rows.isEmpty()) {
      out.line("(no TCP traffic in the selected workloads)");
      return;
    }
    rows.sort(Comparator.comparingLong((Row r) -> r.d().sent() + r.d().received()).reversed());
    Table.Builder t =
        Table.builder(
            Table.Column.left("workload", 40),
            Table.Column.right("sent"),
            Table.Column.right("received"),
            Table.Column.right("retransmits"),
            Table.Column.right("opened"),
            Table.Column.right("closed"),
            Table.Column.right("failed"),
            Table.Column.right("median lifetime"));
    for (Row r : rows.subList(0, Math.min(scope.top(), rows.size()))) {
      NetTotals.Values d = r.d();
      t.row(
          workload(r.w().cgroupId(), r.w().cgroupV1Id()),
          bytes(d.sent()),
          bytes(d.received()),
          Long.toString(d.retransmits()),
          Long.toString(d.opened()),
          Long.toString(d.closed()),
          Long.toString(d.failed()),
          d.durations().total() == 0
              ? ""
              : String.format("%.1f ms", d.durations().quantile(0.5) / 1e6));
    }
    out.table(t.build());
    peersTable(out);
  }

  private void peersTable(ReportWriter out) {
    List<Map.Entry<NetPeerKey, Long>> moved = new ArrayList<>();
    peers()
        .forEach(
            (k, n) -> {
              long d = n - peersBefore.getOrDefault(k, 0L);
              if (d > 0 && inScope(k.v2(), k.v1())) {
                moved.add(Map.entry(k, d));
              }
            });
    if (moved.isEmpty()) {
      return;
    }
    moved.sort(Map.Entry.<NetPeerKey, Long>comparingByValue().reversed());
    Table.Builder t =
        Table.builder(
            Table.Column.left("workload", 40),
            Table.Column.left("remote endpoint", 46),
            Table.Column.right("retransmits"));
    for (var e : moved.subList(0, Math.min(scope.top(), moved.size()))) {
      t.row(workload(e.getKey().v2(), e.getKey().v1()), e.getKey().endpoint(), e.getValue() + "");
    }
    out.line("Remote endpoints that retransmitted:");
    out.table(t.build());
  }

  static String bytes(long n) {
    if (n < 10_000) {
      return n + " B";
    }
    if (n < 10_000_000) {
      return String.format("%.1f KiB", n / 1024.0);
    }
    return String.format("%.1f MiB", n / (1024.0 * 1024));
  }

  private boolean inScope(long v2, long v1) {
    if (v2 == NetTotals.OVERFLOW.cgroupId() && v1 == NetTotals.OVERFLOW.cgroupV1Id()) {
      return !scope.byCgroup(); // the overflow series: in a report of every workload only
    }
    return !scope.byCgroup() || scope.cgroupIds().contains(v2) || scope.cgroupIds().contains(v1);
  }

  private String workload(long v2, long v1) {
    if (v2 == NetTotals.OVERFLOW.cgroupId() && v1 == NetTotals.OVERFLOW.cgroupV1Id()) {
      return "(workloads past the series bound)";
    }
    return scope.cgroups().name(v2, v1).orElse("cgroup " + v2 + "/" + v1);
  }
}
