package dev.aiprof.bpf.net;

import static dev.aiprof.bpf.AbiStruct.field;
import static dev.aiprof.bpf.CType.U16;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;

import dev.aiprof.bpf.AbiEnum;
import dev.aiprof.bpf.AbiStruct;
import java.util.List;

/**
 * Java mirrors of the structs and enums in net.h: every field with its C type, every enumerator
 * with its value. NetLayoutTest checks them against the compiled object's BTF both ways.
 */
public final class NetAbi {
  public static final int HIST_SLOTS = 40;
  public static final int COUNTERS = 8;
  public static final int ADDR_BYTES = 16;
  public static final int SOCK_FOLLOWED = 1;
  public static final int SOCK_PEER = 2;
  public static final int SOCK_OPEN_PENDING = 4;

  public static final AbiStruct SOCK =
      AbiStruct.of(
          "net_sock",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("open_ts", U64),
          field("sent", U64),
          field("received", U64),
          field("retransmits", U64),
          field("total_retrans", U32),
          field("pid", U32),
          field("tid", U32),
          field("raddr", array(U8, ADDR_BYTES)),
          field("rport", U16),
          field("lport", U16),
          field("family", U16),
          field("side", U8),
          field("state", U8),
          field("flags", U8),
          field("pad", array(U8, 3)));

  public static final AbiStruct CGROUP_KEY =
      AbiStruct.of("net_cgroup_key", field("cgroup_id", U64), field("cgroup_v1_id", U64));

  public static final AbiStruct CGROUP_STATS =
      AbiStruct.of(
          "net_cgroup_stats",
          field("sent", U64),
          field("received", U64),
          field("retransmits", U64),
          field("opened_client", U64),
          field("opened_server", U64),
          field("closed", U64),
          field("failed", U64),
          field("duration_ns", U64),
          field("duration", array(U64, HIST_SLOTS)));

  public static final AbiStruct PEER_KEY =
      AbiStruct.of(
          "net_peer_key",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("addr", array(U8, ADDR_BYTES)),
          field("port", U16),
          field("family", U16),
          field("local_port", U8),
          field("pad", array(U8, 3)));

  public static final AbiStruct PEER =
      AbiStruct.of(
          "net_peer",
          field("retransmits", U64),
          field("slow", U64),
          field("last_ts", U64),
          field("srtt_us", U32),
          field("pad", U32));

  public static final AbiStruct SLOT_KEY =
      AbiStruct.of("net_slot_key", field("slot", U64), field("tid", U32), field("pad", U32));

  public static final AbiStruct SLOT =
      AbiStruct.of(
          "net_slot",
          field("sent", U64),
          field("received", U64),
          field("retransmits", U64),
          field("first_ts", U64),
          field("last_ts", U64),
          field("pid", U32),
          field("pad", U32));

  /** Every struct of net.h. */
  public static final List<AbiStruct> STRUCTS =
      List.of(SOCK, CGROUP_KEY, CGROUP_STATS, PEER_KEY, PEER, SLOT_KEY, SLOT);

  /** Every enum of net.h, with every enumerator. */
  public static final List<AbiEnum> ENUMS =
      List.of(
          AbiEnum.named("net_limits")
              .constant("NET_HIST_SLOTS", HIST_SLOTS)
              .constant("NET_COUNTERS", COUNTERS)
              .constant("NET_ADDR_BYTES", ADDR_BYTES)
              .build(),
          AbiEnum.named("net_side").constants("NET_SIDE_", NetSide.values(), NetSide::code).build(),
          AbiEnum.named("net_sock_flag")
              .constant("NET_SOCK_FOLLOWED", SOCK_FOLLOWED)
              .constant("NET_SOCK_PEER", SOCK_PEER)
              .constant("NET_SOCK_OPEN_PENDING", SOCK_OPEN_PENDING)
              .build(),
          AbiEnum.named("net_counter")
              .constants("NET_CNT_", NetCounter.values(), NetCounter::index)
              .build());

  private NetAbi() {}
}
