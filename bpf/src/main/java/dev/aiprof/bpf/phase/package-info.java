/**
 * The phase probe ({@code phase.bpf.c}): uprobes on libaiprof.so's marker functions ({@code
 * aiprof_phase_begin/end}, and the NVTX routes {@code aiprof_nvtx_push/pop}) that send each call as
 * an event with a kernel timestamp, and follow the calling process in the scheduler probe from
 * inside the kernel. {@link dev.aiprof.bpf.phase.PhaseAbi} mirrors {@code phase.h}; tests check it
 * against the object's BTF.
 */
package dev.aiprof.bpf.phase;
