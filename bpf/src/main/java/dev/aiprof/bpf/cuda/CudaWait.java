package dev.aiprof.bpf.cuda;

import static dev.aiprof.bpf.CType.S32;
import static dev.aiprof.bpf.CType.U16;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;

import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.RawMemory;

/**
 * One synchronisation wait of at least the probe's event threshold: {@code struct cuda_wait_event},
 * stamped by the kernel (CLOCK_MONOTONIC) at the call's entry and return.
 *
 * @param call the call, or null for a code this version does not know
 * @param result the call's return value (CUresult or cudaError_t; 0 is success)
 */
public record CudaWait(
    long startNs,
    long endNs,
    long cgroupId,
    long cgroupV1Id,
    int pid,
    int tid,
    int result,
    CudaCall call)
    implements ThreadActivity.Event<Integer> {
  public static final int SIZE = (int) CudaAbi.WAIT_EVENT.layout().byteSize();
  private static final long START = CudaAbi.WAIT_EVENT.offset("start_ts", U64);
  private static final long END = CudaAbi.WAIT_EVENT.offset("end_ts", U64);
  private static final long CG = CudaAbi.WAIT_EVENT.offset("cgroup_id", U64);
  private static final long CG1 = CudaAbi.WAIT_EVENT.offset("cgroup_v1_id", U64);
  private static final long PID = CudaAbi.WAIT_EVENT.offset("pid", U32);
  private static final long TID = CudaAbi.WAIT_EVENT.offset("tid", U32);
  private static final long RESULT = CudaAbi.WAIT_EVENT.offset("result", S32);
  private static final long CALL = CudaAbi.WAIT_EVENT.offset("call", U16);

  /** The thread's process, by pid (the CUDA probe keeps no start times). */
  @Override
  public Integer process() {
    return pid;
  }

  /** Decodes the record at {@code address} (valid only inside the ring-buffer callback). */
  public static CudaWait at(long address) {
    return new CudaWait(
        RawMemory.u64(address + START),
        RawMemory.u64(address + END),
        RawMemory.u64(address + CG),
        RawMemory.u64(address + CG1),
        RawMemory.u32(address + PID),
        RawMemory.u32(address + TID),
        RawMemory.u32(address + RESULT),
        CudaCall.ofCode(RawMemory.u8(address + CALL) | RawMemory.u8(address + CALL + 1) << 8));
  }

  public long durationNs() {
    return endNs - startNs;
  }
}
