/**
 * The Java binding to libbpf, over the JDK's Foreign Function &amp; Memory API.
 *
 * <p>Blueprint and live objects are separate: a {@link dev.aiprof.bpf.BpfObject} is opened from an
 * embedded CO-RE object, configured ({@code const volatile} values, autoload, map sizes), loaded,
 * then its {@link dev.aiprof.bpf.BpfProgram}s are attached as {@link dev.aiprof.bpf.BpfLink}s. Maps
 * ({@link dev.aiprof.bpf.BpfMap}) and ring buffers carry data out: one {@link
 * dev.aiprof.bpf.RingPoller} thread and epoll drain every probe's ring ({@link
 * dev.aiprof.bpf.RingBuffer} is the single-ring, caller-driven form). {@link
 * dev.aiprof.bpf.FeatureProber} decides what this kernel supports by trying it.
 *
 * <p>Errors: {@link dev.aiprof.bpf.UnsupportedFeatureException} when the host lacks something,
 * {@link dev.aiprof.bpf.BpfLoadException} (with the verifier log) when the kernel rejects a
 * program, {@link dev.aiprof.bpf.BpfException} for the rest. Every message names the operation and
 * the errno.
 */
package dev.aiprof.bpf;
