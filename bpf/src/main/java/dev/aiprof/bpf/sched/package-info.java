/**
 * The scheduler probe ({@code sched.bpf.c}): runqueue latency, on-CPU and off-CPU time by state,
 * per workload identity and per followed thread, and long off-CPU episodes as events. {@link
 * dev.aiprof.bpf.sched.SchedAbi} mirrors {@code sched.h}; tests check it against the object's BTF.
 */
package dev.aiprof.bpf.sched;
