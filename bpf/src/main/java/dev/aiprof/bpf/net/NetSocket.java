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
 * One live TCP socket as read from the {@code socks} map ({@code struct net_sock}).
 *
 * @param sock the kernel's struct sock address (the map key; only an identity)
 * @param openNs when it opened (CLOCK_MONOTONIC), 0 when it was open before the probe
 * @param pid its last process-context user (0: none seen yet)
 * @param state its TCP state, null for a code this version does not know
 * @param followed whether its last user belongs to a followed process
 */
public record NetSocket(
    long sock,
    long cgroupId,
    long cgroupV1Id,
    long openNs,
    long sent,
    long received,
    long retransmits,
    int pid,
    int tid,
    NetAddress remote,
    int localPort,
    NetSide side,
    TcpState state,
    boolean followed) {
  private static final long CG = NetAbi.SOCK.offset("cgroup_id", U64);
  private static final long CG1 = NetAbi.SOCK.offset("cgroup_v1_id", U64);
  private static final long OPEN = NetAbi.SOCK.offset("open_ts", U64);
  private static final long SENT = NetAbi.SOCK.offset("sent", U64);
  private static final long RECEIVED = NetAbi.SOCK.offset("received", U64);
  private static final long RETRANS = NetAbi.SOCK.offset("retransmits", U64);
  private static final long PID = NetAbi.SOCK.offset("pid", U32);
  private static final long TID = NetAbi.SOCK.offset("tid", U32);
  private static final long RADDR = NetAbi.SOCK.offset("raddr", array(U8, NetAbi.ADDR_BYTES));
  private static final long RPORT = NetAbi.SOCK.offset("rport", U16);
  private static final long LPORT = NetAbi.SOCK.offset("lport", U16);
  private static final long FAMILY = NetAbi.SOCK.offset("family", U16);
  private static final long SIDE = NetAbi.SOCK.offset("side", U8);
  private static final long STATE = NetAbi.SOCK.offset("state", U8);
  private static final long FLAGS = NetAbi.SOCK.offset("flags", U8);

  /** Decodes a key (u64 sock pointer) and value of the socks map. */
  public static NetSocket decode(MemorySegment key, MemorySegment v) {
    byte[] addr = v.asSlice(RADDR, NetAbi.ADDR_BYTES).toArray(JAVA_BYTE);
    int flags = Byte.toUnsignedInt(v.get(JAVA_BYTE, FLAGS));
    return new NetSocket(
        key.get(JAVA_LONG, 0),
        v.get(JAVA_LONG, CG),
        v.get(JAVA_LONG, CG1),
        v.get(JAVA_LONG, OPEN),
        v.get(JAVA_LONG, SENT),
        v.get(JAVA_LONG, RECEIVED),
        v.get(JAVA_LONG, RETRANS),
        v.get(JAVA_INT, PID),
        v.get(JAVA_INT, TID),
        new NetAddress(
            Short.toUnsignedInt(v.get(JAVA_SHORT, FAMILY)),
            addr,
            Short.toUnsignedInt(v.get(JAVA_SHORT, RPORT))),
        Short.toUnsignedInt(v.get(JAVA_SHORT, LPORT)),
        NetSide.ofCode(Byte.toUnsignedInt(v.get(JAVA_BYTE, SIDE))),
        TcpState.ofCode(Byte.toUnsignedInt(v.get(JAVA_BYTE, STATE))),
        (flags & NetAbi.SOCK_FOLLOWED) != 0);
  }
}
