package dev.aiprof.io.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.bpf.net.NetAddress;
import dev.aiprof.bpf.net.NetSide;
import dev.aiprof.bpf.net.NetSocket;
import dev.aiprof.bpf.net.NetWorkload;
import dev.aiprof.bpf.net.TcpState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Workload totals: closed plus live, never going down, bounded. Pure. */
class NetTotalsTest {
  private static NetWorkload closed(long cg, long sent) {
    return new NetWorkload(cg, 0, sent, 2 * sent, 1, 1, 2, 3, 0, 10, Log2Histogram.empty(40));
  }

  private static NetSocket live(long cg, long sent) {
    return new NetSocket(
        1,
        cg,
        0,
        5,
        sent,
        7,
        2,
        1,
        1,
        new NetAddress(2, new byte[16], 80),
        1,
        NetSide.CLIENT,
        TcpState.ESTABLISHED,
        false);
  }

  @Test
  void aWorkloadsTotalIsItsClosedSocketsPlusItsLiveOnes() {
    Map<NetTotals.Workload, NetTotals.Values> m =
        NetTotals.combine(List.of(closed(5, 100)), List.of(live(5, 30), live(6, 4)));
    NetTotals.Values five = m.get(new NetTotals.Workload(5, 0));
    assertThat(five.sent()).isEqualTo(130);
    assertThat(five.received()).isEqualTo(207);
    assertThat(five.retransmits()).isEqualTo(3);
    assertThat(five.opened()).isEqualTo(3);
    assertThat(five.closed()).isEqualTo(3);
    assertThat(m.get(new NetTotals.Workload(6, 0)).sent()).as("live only").isEqualTo(4);
  }

  @Test
  void aSocketCaughtBetweenItsCloseAndItsRemovalDoesNotMakeTheTotalGoDown() {
    NetTotals t = new NetTotals(16);
    t.update(List.of(closed(5, 100)), List.of(live(5, 30), live(5, 30)));
    // read while one socket's bytes moved to the closed totals and before its entry went: 160
    // then after: the closed totals have it and the entry is gone: 160 again, never below
    var later = t.update(List.of(closed(5, 100)), List.of(live(5, 30)));
    assertThat(later.get(new NetTotals.Workload(5, 0)).sent()).isEqualTo(160);
    var after = t.update(List.of(closed(5, 130)), List.of(live(5, 40)));
    assertThat(after.get(new NetTotals.Workload(5, 0)).sent()).isEqualTo(170);
  }

  @Test
  void workloadsPastTheBoundShareTheOverflowSeriesAndPastItAreDroppedAndCounted() {
    NetTotals t = new NetTotals(1);
    var m = t.update(List.of(closed(5, 1), closed(6, 2)), List.of());
    assertThat(m).hasSize(2).containsKey(NetTotals.OVERFLOW);
    NetTotals.Workload own =
        m.keySet().stream().filter(w -> w != NetTotals.OVERFLOW).findFirst().get();
    assertThat(m.get(own).sent() + m.get(NetTotals.OVERFLOW).sent()).isEqualTo(3);
    assertThat(t.dropped()).isZero();
    t.update(List.of(closed(5, 1), closed(6, 2), closed(7, 4)), List.of());
    assertThat(t.dropped()).as("the overflow holds one workload too").isEqualTo(1);
  }

  @Test
  void aForgottenWorkloadLeavesItsSeriesAndItsValuesStayInTheOverflow() {
    NetTotals t = new NetTotals(1);
    t.update(List.of(closed(5, 1)), List.of());
    t.update(List.of(closed(5, 1), closed(6, 2)), List.of(live(6, 3)));
    assertThat(t.workloads())
        .containsExactlyInAnyOrder(new NetTotals.Workload(5, 0), new NetTotals.Workload(6, 0));
    t.forget(new NetTotals.Workload(6, 0));
    t.forget(new NetTotals.Workload(5, 0));
    assertThat(t.workloads()).isEmpty();
    // the kernel's entries went with them
    var m = t.update(List.of(closed(8, 9)), List.of());
    assertThat(m.get(NetTotals.OVERFLOW).sent()).as("never goes down").isEqualTo(5);
    assertThat(m.get(new NetTotals.Workload(8, 0)).sent()).as("room for a new one").isEqualTo(9);
    assertThat(m).doesNotContainKeys(new NetTotals.Workload(5, 0), new NetTotals.Workload(6, 0));
  }
}
