/**
 * The {@code cuda} collector: finds the CUDA driver and runtime libraries each process maps,
 * attaches the {@link dev.aiprof.bpf.cuda.CudaProbe} to each library file once, reports CUDA calls,
 * bytes, waits and live allocations per workload, and describes each phase's CUDA activity (the
 * {@code aiprof.gpu.cuda.*} attributes and the {@link dev.aiprof.api.category.Category#CUDA_SYNC}
 * category).
 */
package dev.aiprof.gpu.cuda;
