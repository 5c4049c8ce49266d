/**
 * The CUDA probe ({@code cuda.bpf.c}): uprobes on the CUDA driver API ({@code libcuda.so.1}) and
 * runtime API ({@code libcudart.so.*}) that aggregate calls, bytes and waits in the kernel per
 * (time slot, thread, call), with the Java mirrors of {@code cuda.h}.
 */
package dev.aiprof.bpf.cuda;
