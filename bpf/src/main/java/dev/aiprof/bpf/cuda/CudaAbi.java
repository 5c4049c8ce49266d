package dev.aiprof.bpf.cuda;

import static dev.aiprof.bpf.AbiStruct.field;
import static dev.aiprof.bpf.CType.S32;
import static dev.aiprof.bpf.CType.U16;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;

import dev.aiprof.bpf.AbiEnum;
import dev.aiprof.bpf.AbiStruct;
import java.util.List;

/**
 * Java mirrors of the structs and enums in cuda.h: every field with its C type, every enumerator
 * with its value. CudaLayoutTest checks them against the compiled object's BTF both ways, so a
 * change to the header that is not made here fails the build.
 */
public final class CudaAbi {
  public static final int HIST_SLOTS = 40;
  public static final int COUNTERS = 9;
  public static final int CALLS = 18;
  public static final int DIRS = 5;
  public static final int COOKIE_CALL_BITS = 8;

  public static final AbiStruct KEY =
      AbiStruct.of(
          "cuda_key",
          field("slot", U64),
          field("tid", U32),
          field("call", U16),
          field("dir", U8),
          field("pad", U8));

  public static final AbiStruct STATS =
      AbiStruct.of(
          "cuda_stats",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("calls", U64),
          field("errors", U64),
          field("bytes", U64),
          field("ns", U64),
          field("event_ns", U64),
          field("first_ts", U64),
          field("last_ts", U64),
          field("pid", U32),
          field("pad", U32));

  public static final AbiStruct HIST_KEY =
      AbiStruct.of(
          "cuda_hist_key",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("call", U32),
          field("pad", U32));

  public static final AbiStruct HIST =
      AbiStruct.of("cuda_hist", field("slots", array(U64, HIST_SLOTS)));

  public static final AbiStruct ALLOC_KEY =
      AbiStruct.of("cuda_alloc_key", field("ptr", U64), field("pid", U32), field("pad", U32));

  public static final AbiStruct WAIT_EVENT =
      AbiStruct.of(
          "cuda_wait_event",
          field("start_ts", U64),
          field("end_ts", U64),
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("pid", U32),
          field("tid", U32),
          field("result", S32),
          field("call", U16),
          field("pad", array(U8, 2)));

  /** Every struct of cuda.h. */
  public static final List<AbiStruct> STRUCTS =
      List.of(KEY, STATS, HIST_KEY, HIST, ALLOC_KEY, WAIT_EVENT);

  /** Every enum of cuda.h, with every enumerator. */
  public static final List<AbiEnum> ENUMS =
      List.of(
          AbiEnum.named("cuda_limits")
              .constant("CUDA_HIST_SLOTS", HIST_SLOTS)
              .constant("CUDA_COUNTERS", COUNTERS)
              .constant("CUDA_COOKIE_CALL_BITS", COOKIE_CALL_BITS)
              .constant("CUDA_DIR_FROM_KIND", CudaSymbol.DIR_FROM_KIND)
              .build(),
          AbiEnum.named("cuda_call")
              .constants("CUDA_CALL_", CudaCall.values(), CudaCall::code)
              .constant("CUDA_CALLS", CALLS)
              .build(),
          AbiEnum.named("cuda_dir")
              .constants("CUDA_DIR_", CudaDir.values(), CudaDir::code)
              .constant("CUDA_DIRS", DIRS)
              .build(),
          AbiEnum.named("cuda_counter")
              .constants("CUDA_CNT_", CudaCounter.values(), CudaCounter::index)
              .build());

  private CudaAbi() {}
}
