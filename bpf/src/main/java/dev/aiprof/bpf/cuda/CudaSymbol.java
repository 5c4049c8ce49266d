package dev.aiprof.bpf.cuda;

import static dev.aiprof.bpf.cuda.CudaCall.CTX_SYNC;
import static dev.aiprof.bpf.cuda.CudaCall.EVENT_SYNC;
import static dev.aiprof.bpf.cuda.CudaCall.GRAPH_LAUNCH;
import static dev.aiprof.bpf.cuda.CudaCall.LAUNCH_KERNEL;
import static dev.aiprof.bpf.cuda.CudaCall.LAUNCH_KERNEL_EX;
import static dev.aiprof.bpf.cuda.CudaCall.MEMCPY;
import static dev.aiprof.bpf.cuda.CudaCall.MEMCPY_ASYNC;
import static dev.aiprof.bpf.cuda.CudaCall.MEM_ALLOC;
import static dev.aiprof.bpf.cuda.CudaCall.MEM_FREE;
import static dev.aiprof.bpf.cuda.CudaCall.RT_DEVICE_SYNC;
import static dev.aiprof.bpf.cuda.CudaCall.RT_EVENT_SYNC;
import static dev.aiprof.bpf.cuda.CudaCall.RT_FREE;
import static dev.aiprof.bpf.cuda.CudaCall.RT_LAUNCH_KERNEL;
import static dev.aiprof.bpf.cuda.CudaCall.RT_MALLOC;
import static dev.aiprof.bpf.cuda.CudaCall.RT_MEMCPY;
import static dev.aiprof.bpf.cuda.CudaCall.RT_MEMCPY_ASYNC;
import static dev.aiprof.bpf.cuda.CudaCall.RT_STREAM_SYNC;
import static dev.aiprof.bpf.cuda.CudaCall.STREAM_SYNC;

import java.util.List;

/**
 * One exported function the probe attaches to: its symbol, the call it counts as and, for copies,
 * the direction (null: read from the runtime's {@code cudaMemcpyKind} argument). The per-thread
 * default-stream variants ({@code _ptsz}, {@code _ptds}) count as their plain call; a library that
 * lacks one (an older driver, a fake) is attached without it.
 */
public record CudaSymbol(String name, CudaCall call, CudaDir dir) {
  /** Cookie value (cuda.h's CUDA_DIR_FROM_KIND) for "direction from the kind argument". */
  static final int DIR_FROM_KIND = 255;

  /** Every driver API symbol, in libcuda.so.1. */
  public static final List<CudaSymbol> DRIVER =
      List.of(
          of("cuLaunchKernel", LAUNCH_KERNEL),
          of("cuLaunchKernel_ptsz", LAUNCH_KERNEL),
          of("cuLaunchKernelEx", LAUNCH_KERNEL_EX),
          of("cuLaunchKernelEx_ptsz", LAUNCH_KERNEL_EX),
          of("cuGraphLaunch", GRAPH_LAUNCH),
          of("cuGraphLaunch_ptsz", GRAPH_LAUNCH),
          copy("cuMemcpy", MEMCPY, CudaDir.DEFAULT),
          copy("cuMemcpy_ptds", MEMCPY, CudaDir.DEFAULT),
          copy("cuMemcpyHtoD_v2", MEMCPY, CudaDir.HTOD),
          copy("cuMemcpyHtoD_v2_ptds", MEMCPY, CudaDir.HTOD),
          copy("cuMemcpyDtoH_v2", MEMCPY, CudaDir.DTOH),
          copy("cuMemcpyDtoH_v2_ptds", MEMCPY, CudaDir.DTOH),
          copy("cuMemcpyDtoD_v2", MEMCPY, CudaDir.DTOD),
          copy("cuMemcpyDtoD_v2_ptds", MEMCPY, CudaDir.DTOD),
          copy("cuMemcpyAsync", MEMCPY_ASYNC, CudaDir.DEFAULT),
          copy("cuMemcpyAsync_ptsz", MEMCPY_ASYNC, CudaDir.DEFAULT),
          copy("cuMemcpyHtoDAsync_v2", MEMCPY_ASYNC, CudaDir.HTOD),
          copy("cuMemcpyHtoDAsync_v2_ptsz", MEMCPY_ASYNC, CudaDir.HTOD),
          copy("cuMemcpyDtoHAsync_v2", MEMCPY_ASYNC, CudaDir.DTOH),
          copy("cuMemcpyDtoHAsync_v2_ptsz", MEMCPY_ASYNC, CudaDir.DTOH),
          copy("cuMemcpyDtoDAsync_v2", MEMCPY_ASYNC, CudaDir.DTOD),
          copy("cuMemcpyDtoDAsync_v2_ptsz", MEMCPY_ASYNC, CudaDir.DTOD),
          of("cuMemAlloc_v2", MEM_ALLOC),
          of("cuMemFree_v2", MEM_FREE),
          of("cuStreamSynchronize", STREAM_SYNC),
          of("cuStreamSynchronize_ptsz", STREAM_SYNC),
          of("cuCtxSynchronize", CTX_SYNC),
          of("cuEventSynchronize", EVENT_SYNC));

  /** Every runtime API symbol, in libcudart.so.*. */
  public static final List<CudaSymbol> RUNTIME =
      List.of(
          of("cudaLaunchKernel", RT_LAUNCH_KERNEL),
          of("cudaLaunchKernel_ptsz", RT_LAUNCH_KERNEL),
          copy("cudaMemcpy", RT_MEMCPY, null),
          copy("cudaMemcpy_ptds", RT_MEMCPY, null),
          copy("cudaMemcpyAsync", RT_MEMCPY_ASYNC, null),
          copy("cudaMemcpyAsync_ptsz", RT_MEMCPY_ASYNC, null),
          of("cudaMalloc", RT_MALLOC),
          of("cudaFree", RT_FREE),
          of("cudaDeviceSynchronize", RT_DEVICE_SYNC),
          of("cudaStreamSynchronize", RT_STREAM_SYNC),
          of("cudaStreamSynchronize_ptsz", RT_STREAM_SYNC),
          of("cudaEventSynchronize", RT_EVENT_SYNC));

  /** The symbols of one API. */
  public static List<CudaSymbol> of(CudaApi api) {
    return api == CudaApi.DRIVER ? DRIVER : RUNTIME;
  }

  private static CudaSymbol of(String name, CudaCall call) {
    return new CudaSymbol(name, call, CudaDir.NONE);
  }

  private static CudaSymbol copy(String name, CudaCall call, CudaDir dir) {
    return new CudaSymbol(name, call, dir);
  }

  /** The attach cookie: the call in the low byte, the direction (or DIR_FROM_KIND) in the next. */
  public long cookie() {
    int d = dir == null ? DIR_FROM_KIND : dir.code();
    return call.code() | ((long) d << 8);
  }

  /** The entry program: counted at entry, or remembered for the return probe. */
  String entryProgram() {
    if (call.returnProbe()) {
      return "cuda_enter";
    }
    return switch (call.kind()) {
      case COPY -> "cuda_copy";
      case FREE -> "cuda_free";
      default -> "cuda_count";
    };
  }
}
