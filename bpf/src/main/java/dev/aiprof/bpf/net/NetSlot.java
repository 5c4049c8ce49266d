package dev.aiprof.bpf.net;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.api.phase.ThreadActivity;
import java.lang.foreign.MemorySegment;

/**
 * One followed thread's TCP traffic in one time slot, from {@code thread_slots} ({@code struct
 * net_slot_key} → {@code struct net_slot}). Retransmits are of the thread's sockets, counted when
 * the kernel retransmitted.
 *
 * @param firstNs when the slot's first message (or retransmit) was counted (CLOCK_MONOTONIC)
 * @param lastNs when its last one was: everything of the entry lies in {@code [firstNs, lastNs]}
 */
public record NetSlot(
    long slot,
    int pid,
    int tid,
    long sent,
    long received,
    long retransmits,
    long firstNs,
    long lastNs)
    implements ThreadActivity.Slot<Integer> {
  private static final long K_SLOT = NetAbi.SLOT_KEY.offset("slot", U64);
  private static final long K_TID = NetAbi.SLOT_KEY.offset("tid", U32);
  private static final long SENT = NetAbi.SLOT.offset("sent", U64);
  private static final long RECEIVED = NetAbi.SLOT.offset("received", U64);
  private static final long RETRANS = NetAbi.SLOT.offset("retransmits", U64);
  private static final long FIRST = NetAbi.SLOT.offset("first_ts", U64);
  private static final long LAST = NetAbi.SLOT.offset("last_ts", U64);
  private static final long PID = NetAbi.SLOT.offset("pid", U32);

  /** The thread's process, by pid (the TCP probe keeps no start times). */
  @Override
  public Integer process() {
    return pid;
  }

  public static NetSlot decode(MemorySegment k, MemorySegment v) {
    return new NetSlot(
        k.get(JAVA_LONG, K_SLOT),
        v.get(JAVA_INT, PID),
        k.get(JAVA_INT, K_TID),
        v.get(JAVA_LONG, SENT),
        v.get(JAVA_LONG, RECEIVED),
        v.get(JAVA_LONG, RETRANS),
        v.get(JAVA_LONG, FIRST),
        v.get(JAVA_LONG, LAST));
  }
}
