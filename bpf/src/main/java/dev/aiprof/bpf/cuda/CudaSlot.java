package dev.aiprof.bpf.cuda;

import static dev.aiprof.bpf.CType.U16;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.aiprof.api.phase.ThreadActivity;
import java.lang.foreign.MemorySegment;

/**
 * One thread's calls of one function (and copy direction) in one time slot, as read from the {@code
 * stats} map: an entry of {@code struct cuda_key} → {@code struct cuda_stats}.
 *
 * @param slot the time slot: calls made (or, with a return probe, returned) in {@code [slot <<
 *     shift, (slot + 1) << shift)} ns of CLOCK_MONOTONIC
 * @param call the call, or null for a code this version does not know
 * @param ns time inside calls with a return probe
 * @param eventNs the part of {@code ns} sent as wait events
 * @param firstNs when the slot's first call was counted (CLOCK_MONOTONIC; at its return for calls
 *     with a return probe)
 * @param lastNs when its last call was counted: every call of the entry lies in {@code [firstNs,
 *     lastNs]}
 */
public record CudaSlot(
    long slot,
    int pid,
    int tid,
    CudaCall call,
    CudaDir dir,
    long cgroupId,
    long cgroupV1Id,
    long calls,
    long errors,
    long bytes,
    long ns,
    long eventNs,
    long firstNs,
    long lastNs)
    implements ThreadActivity.Slot<Integer> {
  private static final long K_SLOT = CudaAbi.KEY.offset("slot", U64);
  private static final long K_TID = CudaAbi.KEY.offset("tid", U32);
  private static final long K_CALL = CudaAbi.KEY.offset("call", U16);
  private static final long K_DIR = CudaAbi.KEY.offset("dir", U8);
  private static final long V_CG = CudaAbi.STATS.offset("cgroup_id", U64);
  private static final long V_CG1 = CudaAbi.STATS.offset("cgroup_v1_id", U64);
  private static final long V_CALLS = CudaAbi.STATS.offset("calls", U64);
  private static final long V_ERRORS = CudaAbi.STATS.offset("errors", U64);
  private static final long V_BYTES = CudaAbi.STATS.offset("bytes", U64);
  private static final long V_NS = CudaAbi.STATS.offset("ns", U64);
  private static final long V_EVENT_NS = CudaAbi.STATS.offset("event_ns", U64);
  private static final long V_FIRST = CudaAbi.STATS.offset("first_ts", U64);
  private static final long V_LAST = CudaAbi.STATS.offset("last_ts", U64);
  private static final long V_PID = CudaAbi.STATS.offset("pid", U32);

  /** The thread's process, by pid (the CUDA probe keeps no start times). */
  @Override
  public Integer process() {
    return pid;
  }

  /** Decodes a key/value pair of the stats map. */
  public static CudaSlot decode(MemorySegment key, MemorySegment value) {
    return new CudaSlot(
        key.get(JAVA_LONG, K_SLOT),
        value.get(JAVA_INT, V_PID),
        key.get(JAVA_INT, K_TID),
        CudaCall.ofCode(Short.toUnsignedInt(key.get(JAVA_SHORT, K_CALL))),
        CudaDir.ofCode(Byte.toUnsignedInt(key.get(JAVA_BYTE, K_DIR))),
        value.get(JAVA_LONG, V_CG),
        value.get(JAVA_LONG, V_CG1),
        value.get(JAVA_LONG, V_CALLS),
        value.get(JAVA_LONG, V_ERRORS),
        value.get(JAVA_LONG, V_BYTES),
        value.get(JAVA_LONG, V_NS),
        value.get(JAVA_LONG, V_EVENT_NS),
        value.get(JAVA_LONG, V_FIRST),
        value.get(JAVA_LONG, V_LAST));
  }

  /** Time in calls below the event threshold: not sent as events. */
  public long shortNs() {
    return Math.max(0, ns - eventNs);
  }
}
