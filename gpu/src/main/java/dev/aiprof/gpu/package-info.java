/**
 * GPU collectors: {@code nvml} (NVML over JNA: devices, per-process use, XID events) and {@code
 * cuda} (uprobes on the CUDA driver and runtime APIs), each a collector found by its services file.
 */
package dev.aiprof.gpu;
