package dev.aiprof.bpf.cuda;

import static dev.aiprof.bpf.cuda.CudaApi.DRIVER;
import static dev.aiprof.bpf.cuda.CudaApi.RUNTIME;
import static dev.aiprof.bpf.cuda.CudaCallKind.ALLOC;
import static dev.aiprof.bpf.cuda.CudaCallKind.COPY;
import static dev.aiprof.bpf.cuda.CudaCallKind.FREE;
import static dev.aiprof.bpf.cuda.CudaCallKind.LAUNCH;
import static dev.aiprof.bpf.cuda.CudaCallKind.SYNC;

/**
 * The CUDA functions the probe counts; mirrors {@code enum cuda_call} in cuda.h (the value is the
 * ordinal). A label names the function family ({@code cuMemcpy} covers its {@code _v2} and
 * direction variants); the symbols each one attaches to are in {@link CudaSymbol}.
 */
public enum CudaCall {
  LAUNCH_KERNEL("cuLaunchKernel", DRIVER, LAUNCH),
  LAUNCH_KERNEL_EX("cuLaunchKernelEx", DRIVER, LAUNCH),
  GRAPH_LAUNCH("cuGraphLaunch", DRIVER, LAUNCH),
  MEMCPY("cuMemcpy", DRIVER, COPY),
  MEMCPY_ASYNC("cuMemcpyAsync", DRIVER, COPY),
  MEM_ALLOC("cuMemAlloc", DRIVER, ALLOC),
  MEM_FREE("cuMemFree", DRIVER, FREE),
  STREAM_SYNC("cuStreamSynchronize", DRIVER, SYNC),
  CTX_SYNC("cuCtxSynchronize", DRIVER, SYNC),
  EVENT_SYNC("cuEventSynchronize", DRIVER, SYNC),
  RT_LAUNCH_KERNEL("cudaLaunchKernel", RUNTIME, LAUNCH),
  RT_MEMCPY("cudaMemcpy", RUNTIME, COPY),
  RT_MEMCPY_ASYNC("cudaMemcpyAsync", RUNTIME, COPY),
  RT_MALLOC("cudaMalloc", RUNTIME, ALLOC),
  RT_FREE("cudaFree", RUNTIME, FREE),
  RT_DEVICE_SYNC("cudaDeviceSynchronize", RUNTIME, SYNC),
  RT_STREAM_SYNC("cudaStreamSynchronize", RUNTIME, SYNC),
  RT_EVENT_SYNC("cudaEventSynchronize", RUNTIME, SYNC);

  private static final CudaCall[] BY_CODE = values();
  private final String label;
  private final CudaApi api;
  private final CudaCallKind kind;

  CudaCall(String label, CudaApi api, CudaCallKind kind) {
    this.label = label;
    this.api = api;
    this.kind = kind;
  }

  /** The value in cuda.h, and the low byte of the cookie of this call's uprobes. */
  public int code() {
    return ordinal();
  }

  /** The value of the {@code aiprof.cuda.call} attribute: the function family's name. */
  public String label() {
    return label;
  }

  public CudaApi api() {
    return api;
  }

  public CudaCallKind kind() {
    return kind;
  }

  /**
   * Whether the probe has a return probe on it (time in the call, its result): every runtime call,
   * and the driver's synchronisations and allocations.
   */
  public boolean returnProbe() {
    return api == RUNTIME || kind == SYNC || kind == ALLOC;
  }

  /** The call of a code, or null for a code this version does not know. */
  public static CudaCall ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
