package dev.aiprof.collectors.sched;

import dev.aiprof.bpf.sched.OffCpuKind;

/**
 * One off-CPU episode of a thread, copied out of its timeline: it left the CPU at {@code offcpu},
 * became runnable at {@code runnable} and got a CPU at {@code oncpu} (monotonic ns).
 */
public record Episode(
    long offcpu, long runnable, long oncpu, OffCpuKind kind, int wakerPid, int wakerTid) {}
