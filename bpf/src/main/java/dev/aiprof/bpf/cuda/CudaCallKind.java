package dev.aiprof.bpf.cuda;

/** What a CUDA call does, for the phase signal and the metrics. */
public enum CudaCallKind {
  /** Starts work on the device (a kernel, a graph). */
  LAUNCH,
  /** Copies memory; bytes and direction. */
  COPY,
  /** Allocates device memory; bytes allocated. */
  ALLOC,
  /** Frees device memory; bytes freed (of allocations the probe saw). */
  FREE,
  /** Waits on the host for the device: stream, context, event or device synchronisation. */
  SYNC
}
