package dev.aiprof.bpf.sched;

import static dev.aiprof.bpf.sched.SchedAbi.OFF_KINDS;
import static dev.aiprof.bpf.sched.SchedAbi.THREAD_STATS;
import static dev.aiprof.bpf.sched.SchedAbi.offset;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * Cumulative scheduler statistics of one thread of a followed process, from the {@code
 * thread_stats} map (key: tid). Comparable with the kernel's {@code /proc/PID/task/TID/schedstat}:
 * {@link #runqueueNs} with its run_delay, {@link #onCpuNs} with its sum_exec_runtime, counted from
 * when the probe started following. The last switch times tell whether the thread is off-CPU right
 * now ({@link #offCpuNow()}), in an episode no event has reported yet.
 */
public record ThreadSchedStats(
    int pid,
    int tid,
    long cgroupId,
    long cgroupV1Id,
    long runqueueNs,
    long runqueueCount,
    long onCpuNs,
    long onCpuSlices,
    long[] offNs,
    long lastOffcpuTs,
    long lastOncpuTs,
    OffCpuKind lastKind) {

  public static ThreadSchedStats decode(MemorySegment key, MemorySegment value) {
    return new ThreadSchedStats(
        value.get(JAVA_INT, offset(THREAD_STATS, "pid")),
        key.get(JAVA_INT, 0),
        value.get(JAVA_LONG, offset(THREAD_STATS, "cgroup_id")),
        value.get(JAVA_LONG, offset(THREAD_STATS, "cgroup_v1_id")),
        value.get(JAVA_LONG, offset(THREAD_STATS, "runq_ns")),
        value.get(JAVA_LONG, offset(THREAD_STATS, "runq_count")),
        value.get(JAVA_LONG, offset(THREAD_STATS, "oncpu_ns")),
        value.get(JAVA_LONG, offset(THREAD_STATS, "oncpu_count")),
        CgroupSchedStats.longs(value, offset(THREAD_STATS, "off_ns"), OFF_KINDS),
        value.get(JAVA_LONG, offset(THREAD_STATS, "last_offcpu_ts")),
        value.get(JAVA_LONG, offset(THREAD_STATS, "last_oncpu_ts")),
        OffCpuKind.ofCode(value.get(JAVA_BYTE, offset(THREAD_STATS, "last_kind"))));
  }

  /** Whether the thread left the CPU after it last got one: it is off-CPU now, in lastKind. */
  public boolean offCpuNow() {
    return lastOffcpuTs > lastOncpuTs;
  }

  public long offNs(OffCpuKind kind) {
    return offNs[kind.code()];
  }
}
