package dev.aiprof.bpf.net;

import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.array;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.api.metrics.Log2Histogram;
import java.lang.foreign.MemorySegment;

/**
 * A workload's cumulative TCP totals of closed sockets, as read from {@code cgroup_stats} ({@code
 * struct net_cgroup_stats}): bytes and retransmits of sockets that closed (or that the socket map
 * had no room for), connections opened by side, closed and failed, and the log2 histogram of
 * lifetimes (open to CLOSE) of sockets seen opening. Live sockets' bytes are in {@link NetSocket}.
 */
public record NetWorkload(
    long cgroupId,
    long cgroupV1Id,
    long sent,
    long received,
    long retransmits,
    long openedClient,
    long openedServer,
    long closed,
    long failed,
    long durationNs,
    Log2Histogram durations) {
  private static final long K_CG = NetAbi.CGROUP_KEY.offset("cgroup_id", U64);
  private static final long K_CG1 = NetAbi.CGROUP_KEY.offset("cgroup_v1_id", U64);
  private static final long SENT = NetAbi.CGROUP_STATS.offset("sent", U64);
  private static final long RECEIVED = NetAbi.CGROUP_STATS.offset("received", U64);
  private static final long RETRANS = NetAbi.CGROUP_STATS.offset("retransmits", U64);
  private static final long CLIENT = NetAbi.CGROUP_STATS.offset("opened_client", U64);
  private static final long SERVER = NetAbi.CGROUP_STATS.offset("opened_server", U64);
  private static final long CLOSED = NetAbi.CGROUP_STATS.offset("closed", U64);
  private static final long FAILED = NetAbi.CGROUP_STATS.offset("failed", U64);
  private static final long DURATION_NS = NetAbi.CGROUP_STATS.offset("duration_ns", U64);
  private static final long DURATION =
      NetAbi.CGROUP_STATS.offset("duration", array(U64, NetAbi.HIST_SLOTS));

  public static NetWorkload decode(MemorySegment key, MemorySegment v) {
    long[] slots = new long[NetAbi.HIST_SLOTS];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = v.get(JAVA_LONG, DURATION + 8L * i);
    }
    return new NetWorkload(
        key.get(JAVA_LONG, K_CG),
        key.get(JAVA_LONG, K_CG1),
        v.get(JAVA_LONG, SENT),
        v.get(JAVA_LONG, RECEIVED),
        v.get(JAVA_LONG, RETRANS),
        v.get(JAVA_LONG, CLIENT),
        v.get(JAVA_LONG, SERVER),
        v.get(JAVA_LONG, CLOSED),
        v.get(JAVA_LONG, FAILED),
        v.get(JAVA_LONG, DURATION_NS),
        new Log2Histogram(slots));
  }

  /** Connections opened, both sides. */
  public long opened() {
    return openedClient + openedServer;
  }
}
