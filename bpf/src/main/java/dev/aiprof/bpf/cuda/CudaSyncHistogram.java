package dev.aiprof.bpf.cuda;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.array;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.api.metrics.Log2Histogram;
import java.lang.foreign.MemorySegment;

/**
 * A workload's cumulative histogram of host wait times in one synchronisation call, as read from
 * the {@code sync_hist} map (every wait, also those below the event threshold).
 *
 * @param call the call, or null for a code this version does not know
 */
public record CudaSyncHistogram(
    long cgroupId, long cgroupV1Id, CudaCall call, Log2Histogram waits) {
  private static final long K_CG = CudaAbi.HIST_KEY.offset("cgroup_id", U64);
  private static final long K_CG1 = CudaAbi.HIST_KEY.offset("cgroup_v1_id", U64);
  private static final long K_CALL = CudaAbi.HIST_KEY.offset("call", U32);
  private static final long V_SLOTS = CudaAbi.HIST.offset("slots", array(U64, CudaAbi.HIST_SLOTS));

  public static CudaSyncHistogram decode(MemorySegment key, MemorySegment value) {
    long[] slots = new long[CudaAbi.HIST_SLOTS];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = value.get(JAVA_LONG, V_SLOTS + 8L * i);
    }
    return new CudaSyncHistogram(
        key.get(JAVA_LONG, K_CG),
        key.get(JAVA_LONG, K_CG1),
        CudaCall.ofCode(key.get(JAVA_INT, K_CALL)),
        new Log2Histogram(slots));
  }
}
