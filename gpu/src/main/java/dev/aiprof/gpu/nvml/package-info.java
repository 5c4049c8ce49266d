/**
 * The {@code nvml} collector: NVML over JNA behind the narrow {@link dev.aiprof.gpu.nvml.Nvml}
 * interface ({@link dev.aiprof.gpu.nvml.JnaNvml} binds it; tests above the binding use an in-memory
 * one), device sampling into bounded per-device rings, XID events on their own thread, per-process
 * GPU use, the kubelet's GPU allocations, and the GPU phase signal.
 */
package dev.aiprof.gpu.nvml;
