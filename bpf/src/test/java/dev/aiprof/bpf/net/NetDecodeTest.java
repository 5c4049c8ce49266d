package dev.aiprof.bpf.net;

import static dev.aiprof.bpf.CType.U16;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Decoding of the probe's map entries and formatting of addresses: pure, no privileges. */
class NetDecodeTest {
  private static byte[] v6(String text) throws Exception {
    return InetAddress.getByName(text).getAddress(); // a literal: no lookup
  }

  private static byte[] v4(int a, int b, int c, int d) {
    byte[] x = new byte[16];
    x[0] = (byte) a;
    x[1] = (byte) b;
    x[2] = (byte) c;
    x[3] = (byte) d;
    return x;
  }

  @Test
  void ipv4AddressesAreDottedAndIpv6FollowRfc5952() throws Exception {
    assertThat(new NetAddress(2, v4(10, 213, 7, 2), 443).toString()).isEqualTo("10.213.7.2:443");
    assertThat(new NetAddress(2, v4(255, 0, 0, 1), 0).host()).isEqualTo("255.0.0.1");
    assertThat(new NetAddress(10, v6("::1"), 8080).toString()).isEqualTo("[::1]:8080");
    assertThat(new NetAddress(10, v6("::"), 1).host()).isEqualTo("::");
    assertThat(new NetAddress(10, v6("2001:db8:0:0:1:0:0:1"), 1).host())
        .as("the first of two equal zero runs")
        .isEqualTo("2001:db8::1:0:0:1");
    assertThat(new NetAddress(10, v6("2001:db8:0:1:1:1:1:1"), 1).host())
        .as("one zero group stays")
        .isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(new NetAddress(10, v6("fe80:0:0:0:abcd:0:0:0"), 1).host())
        .as("the longest run")
        .isEqualTo("fe80::abcd:0:0:0");
    assertThat(new NetAddress(10, v6("FD00::A"), 1).host()).isEqualTo("fd00::a");
  }

  @Test
  void ipv4MappedAddressesOfDualStackSocketsReadAsIpv4() {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 127;
    mapped[15] = 1;
    NetAddress a = new NetAddress(10, mapped, 5000);
    assertThat(a.host()).isEqualTo("127.0.0.1");
    assertThat(a.networkType()).isEqualTo("ipv4");
    assertThat(new NetAddress(10, new byte[16], 1).networkType()).isEqualTo("ipv6");
    assertThat(new NetAddress(0, new byte[16], 1).host()).isEqualTo("?");
  }

  @Test
  void addressesAreValuesAndCopiedIn() {
    byte[] b = v4(1, 2, 3, 4);
    NetAddress a = new NetAddress(2, b, 9);
    b[0] = 9;
    assertThat(a.host()).isEqualTo("1.2.3.4");
    assertThat(a)
        .isEqualTo(new NetAddress(2, v4(1, 2, 3, 4), 9))
        .hasSameHashCodeAs(new NetAddress(2, v4(1, 2, 3, 4), 9));
    assertThat(a).isNotEqualTo(new NetAddress(2, v4(1, 2, 3, 4), 10));
  }

  @Test
  void aSocketEntryDecodesEveryField() throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment k = arena.allocate(8);
      k.set(JAVA_LONG, 0, 0xffff888812345678L);
      MemorySegment v = arena.allocate(NetAbi.SOCK.layout());
      v.set(JAVA_LONG, NetAbi.SOCK.offset("cgroup_id", U64), 77);
      v.set(JAVA_LONG, NetAbi.SOCK.offset("cgroup_v1_id", U64), 88);
      v.set(JAVA_LONG, NetAbi.SOCK.offset("open_ts", U64), 1000);
      v.set(JAVA_LONG, NetAbi.SOCK.offset("sent", U64), 5);
      v.set(JAVA_LONG, NetAbi.SOCK.offset("received", U64), 6);
      v.set(JAVA_LONG, NetAbi.SOCK.offset("retransmits", U64), 7);
      v.set(JAVA_INT, NetAbi.SOCK.offset("pid", U32), 42);
      v.set(JAVA_INT, NetAbi.SOCK.offset("tid", U32), 43);
      MemorySegment.copy(
          v6("fd00::2"),
          0,
          v,
          JAVA_BYTE,
          NetAbi.SOCK.offset("raddr", array(U8, NetAbi.ADDR_BYTES)),
          16);
      v.set(JAVA_SHORT, NetAbi.SOCK.offset("rport", U16), (short) 50051);
      v.set(JAVA_SHORT, NetAbi.SOCK.offset("lport", U16), (short) 40000);
      v.set(JAVA_SHORT, NetAbi.SOCK.offset("family", U16), (short) 10);
      v.set(JAVA_BYTE, NetAbi.SOCK.offset("side", U8), (byte) 1);
      v.set(JAVA_BYTE, NetAbi.SOCK.offset("state", U8), (byte) 8);
      v.set(JAVA_BYTE, NetAbi.SOCK.offset("flags", U8), (byte) NetAbi.SOCK_FOLLOWED);
      NetSocket s = NetSocket.decode(k, v);
      assertThat(s.sock()).isEqualTo(0xffff888812345678L);
      assertThat(s.cgroupId()).isEqualTo(77);
      assertThat(s.cgroupV1Id()).isEqualTo(88);
      assertThat(s.openNs()).isEqualTo(1000);
      assertThat(s.sent()).isEqualTo(5);
      assertThat(s.received()).isEqualTo(6);
      assertThat(s.retransmits()).isEqualTo(7);
      assertThat(s.pid()).isEqualTo(42);
      assertThat(s.tid()).isEqualTo(43);
      assertThat(s.remote().toString()).as("ports are unsigned").isEqualTo("[fd00::2]:50051");
      assertThat(s.localPort()).isEqualTo(40000);
      assertThat(s.side()).isEqualTo(NetSide.CLIENT);
      assertThat(s.state()).isEqualTo(TcpState.CLOSE_WAIT);
      assertThat(s.followed()).isTrue();
    }
  }

  @Test
  void aWorkloadEntryDecodesItsHistogram() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment k = arena.allocate(NetAbi.CGROUP_KEY.layout());
      k.set(JAVA_LONG, NetAbi.CGROUP_KEY.offset("cgroup_id", U64), 5);
      k.set(JAVA_LONG, NetAbi.CGROUP_KEY.offset("cgroup_v1_id", U64), 6);
      MemorySegment v = arena.allocate(NetAbi.CGROUP_STATS.layout());
      v.set(JAVA_LONG, NetAbi.CGROUP_STATS.offset("sent", U64), 100);
      v.set(JAVA_LONG, NetAbi.CGROUP_STATS.offset("opened_client", U64), 2);
      v.set(JAVA_LONG, NetAbi.CGROUP_STATS.offset("opened_server", U64), 3);
      v.set(JAVA_LONG, NetAbi.CGROUP_STATS.offset("failed", U64), 1);
      long hist = NetAbi.CGROUP_STATS.offset("duration", array(U64, NetAbi.HIST_SLOTS));
      v.set(JAVA_LONG, hist + 8L * 28, 4);
      v.set(JAVA_LONG, hist + 8L * 39, 1);
      NetWorkload w = NetWorkload.decode(k, v);
      assertThat(w.cgroupId()).isEqualTo(5);
      assertThat(w.cgroupV1Id()).isEqualTo(6);
      assertThat(w.sent()).isEqualTo(100);
      assertThat(w.opened()).isEqualTo(5);
      assertThat(w.failed()).isEqualTo(1);
      assertThat(w.durations().count(28)).isEqualTo(4);
      assertThat(w.durations().count(39)).isEqualTo(1);
      assertThat(w.durations().total()).isEqualTo(5);
    }
  }

  @Test
  void peerAndSlotEntriesDecode() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment k = arena.allocate(NetAbi.PEER_KEY.layout());
      k.set(JAVA_LONG, NetAbi.PEER_KEY.offset("cgroup_id", U64), 9);
      k.setAtIndex(JAVA_BYTE, NetAbi.PEER_KEY.offset("addr", array(U8, 16)), (byte) 192);
      k.setAtIndex(JAVA_BYTE, NetAbi.PEER_KEY.offset("addr", array(U8, 16)) + 1, (byte) 168);
      k.set(JAVA_SHORT, NetAbi.PEER_KEY.offset("port", U16), (short) 29500);
      k.set(JAVA_SHORT, NetAbi.PEER_KEY.offset("family", U16), (short) 2);
      MemorySegment v = arena.allocate(NetAbi.PEER.layout());
      v.set(JAVA_LONG, NetAbi.PEER.offset("retransmits", U64), 12);
      v.set(JAVA_INT, NetAbi.PEER.offset("srtt_us", U32), -1);
      NetPeer p = NetPeer.decode(k, v);
      assertThat(p.remote().toString()).isEqualTo("192.168.0.0:29500");
      assertThat(p.localPort()).as("a client's: the remote's port").isFalse();
      k.set(JAVA_BYTE, NetAbi.PEER_KEY.offset("local_port", U8), (byte) 1);
      assertThat(NetPeer.decode(k, v).localPort()).isTrue();
      assertThat(p.retransmits()).isEqualTo(12);
      assertThat(p.srttUs()).as("unsigned").isEqualTo(0xffffffffL);

      MemorySegment sk = arena.allocate(NetAbi.SLOT_KEY.layout());
      sk.set(JAVA_LONG, NetAbi.SLOT_KEY.offset("slot", U64), 3);
      sk.set(JAVA_INT, NetAbi.SLOT_KEY.offset("tid", U32), 11);
      MemorySegment sv = arena.allocate(NetAbi.SLOT.layout());
      sv.set(JAVA_LONG, NetAbi.SLOT.offset("sent", U64), 1);
      sv.set(JAVA_LONG, NetAbi.SLOT.offset("received", U64), 2);
      sv.set(JAVA_LONG, NetAbi.SLOT.offset("retransmits", U64), 3);
      sv.set(JAVA_LONG, NetAbi.SLOT.offset("first_ts", U64), 4);
      sv.set(JAVA_LONG, NetAbi.SLOT.offset("last_ts", U64), 5);
      sv.set(JAVA_INT, NetAbi.SLOT.offset("pid", U32), 10);
      assertThat(NetSlot.decode(sk, sv)).isEqualTo(new NetSlot(3, 10, 11, 1, 2, 3, 4, 5));
    }
  }

  @Test
  void statesCarryTheSemanticConventionNamesAndConfigIsChecked() {
    assertThat(TcpState.ofCode(1).label()).isEqualTo("established");
    assertThat(TcpState.ofCode(3).label()).isEqualTo("syn_received");
    assertThat(TcpState.ofCode(99)).isNull();
    assertThat(NetSide.ofCode(2)).isEqualTo(NetSide.SERVER);
    assertThat(NetSide.ofCode(7)).isEqualTo(NetSide.UNKNOWN);
    assertThatThrownBy(() -> new NetConfig(0, 1, 0, 24)).hasMessageContaining("socketEntries");
    assertThatThrownBy(() -> new NetConfig(1, 1, -1, 24)).hasMessageContaining("slowRttUs");
    assertThatThrownBy(() -> new NetConfig(1, 1, 0, 8)).hasMessageContaining("slotShift");
  }
}
