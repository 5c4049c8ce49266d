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

import java.lang.foreign.MemorySegment;

/**
 * A remote endpoint of a workload that retransmitted or closed slow, from {@code peers} ({@code
 * struct net_peer_key} → {@code struct net_peer}); cumulative.
 *
 * @param remote the remote address, with the remote's port; with {@code localPort}, the local
 *     (listening) port instead (a server's connections come from ephemeral ports: keyed by them,
 *     each connection would be a series of its own)
 * @param localPort a server-side socket's endpoint: {@code remote}'s port is the local one
 * @param slow connections to it that closed with a smoothed RTT at or above the threshold
 * @param srttUs the smoothed RTT at the last update, in microseconds
 * @param lastNs when it was last updated (CLOCK_MONOTONIC)
 */
public record NetPeer(
    long cgroupId,
    long cgroupV1Id,
    NetAddress remote,
    boolean localPort,
    long retransmits,
    long slow,
    long srttUs,
    long lastNs) {
  private static final long K_CG = NetAbi.PEER_KEY.offset("cgroup_id", U64);
  private static final long K_CG1 = NetAbi.PEER_KEY.offset("cgroup_v1_id", U64);
  private static final long K_ADDR = NetAbi.PEER_KEY.offset("addr", array(U8, NetAbi.ADDR_BYTES));
  private static final long K_PORT = NetAbi.PEER_KEY.offset("port", U16);
  private static final long K_FAMILY = NetAbi.PEER_KEY.offset("family", U16);
  private static final long K_LOCAL = NetAbi.PEER_KEY.offset("local_port", U8);
  private static final long RETRANS = NetAbi.PEER.offset("retransmits", U64);
  private static final long SLOW = NetAbi.PEER.offset("slow", U64);
  private static final long LAST = NetAbi.PEER.offset("last_ts", U64);
  private static final long SRTT = NetAbi.PEER.offset("srtt_us", U32);

  public static NetPeer decode(MemorySegment k, MemorySegment v) {
    return new NetPeer(
        k.get(JAVA_LONG, K_CG),
        k.get(JAVA_LONG, K_CG1),
        new NetAddress(
            Short.toUnsignedInt(k.get(JAVA_SHORT, K_FAMILY)),
            k.asSlice(K_ADDR, NetAbi.ADDR_BYTES).toArray(JAVA_BYTE),
            Short.toUnsignedInt(k.get(JAVA_SHORT, K_PORT))),
        k.get(JAVA_BYTE, K_LOCAL) != 0,
        v.get(JAVA_LONG, RETRANS),
        v.get(JAVA_LONG, SLOW),
        Integer.toUnsignedLong(v.get(JAVA_INT, SRTT)),
        v.get(JAVA_LONG, LAST));
  }
}
