/**
 * The Java binding to libbpf, over the JDK's Foreign Function &amp; Memory API.
 *
 * <p>Blueprint and live objects are separate: a {@link dev.aiprof.bpf.BpfObject} is opened from an
 * embedded CO-RE object, configured ({@code const volatile} values, autoload, map sizes), loaded,
 * then its {@link dev.aiprof.bpf.BpfProgram}s are attached as {@link dev.aiprof.bpf.BpfLink}s. Maps
 * ({@link dev.aiprof.bpf.BpfMap}) and ring buffers carry data out: one {@link
 * dev.aiprof.bpf.RingPoller} thread and epoll drain every probe's ring ({@link
 * dev.aiprof.bpf.RingBuffer} is the single-ring, caller-driven form). {@link
 * dev.aiprof.bpf.FeatureProber} decides what this kernel supports by trying it, and {@link
 * dev.aiprof.bpf.ProgramVariants} picks among a probe's fentry / kprobe / tracepoint programs by
 * what it found. {@link dev.aiprof.bpf.PerfEvent}s carry sampling programs; stack trace maps are
 * read through {@link dev.aiprof.bpf.BpfMap#stack}; {@link dev.aiprof.bpf.MappedArray} maps an
 * array the programs update atomically.
 *
 * <p>The shared headers are the ABI: {@link dev.aiprof.bpf.AbiStruct} and {@link
 * dev.aiprof.bpf.AbiEnum} mirror them field by field ({@link dev.aiprof.bpf.CType}), and the layout
 * tests compare the mirrors with the compiled objects' BTF ({@link dev.aiprof.bpf.Btf}).
 *
 * <p>Errors: {@link dev.aiprof.bpf.UnsupportedFeatureException} when the host lacks something,
 * {@link dev.aiprof.bpf.BpfLoadException} (with the verifier log) when the kernel rejects a
 * program, {@link dev.aiprof.bpf.BpfException} for the rest. Every message names the operation and
 * the errno. A load or attach that fails because the host lacks the program's kind (probed, never
 * guessed from the errno) is an UnsupportedFeatureException naming the kernel it needs.
 */
package dev.aiprof.bpf;
