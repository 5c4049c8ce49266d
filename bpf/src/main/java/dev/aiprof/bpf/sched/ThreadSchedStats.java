package dev.aiprof.bpf.sched;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;
import static dev.aiprof.bpf.sched.SchedAbi.OFF_KINDS;
import static dev.aiprof.bpf.sched.SchedAbi.THREAD_STATS_STRUCT;
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

  private static final long PID = THREAD_STATS_STRUCT.offset("pid", U32);
  private static final long CGROUP_ID = THREAD_STATS_STRUCT.offset("cgroup_id", U64);
  private static final long CGROUP_V1_ID = THREAD_STATS_STRUCT.offset("cgroup_v1_id", U64);
  private static final long RUNQ_NS = THREAD_STATS_STRUCT.offset("runq_ns", U64);
  private static final long RUNQ_COUNT = THREAD_STATS_STRUCT.offset("runq_count", U64);
  private static final long ONCPU_NS = THREAD_STATS_STRUCT.offset("oncpu_ns", U64);
  private static final long ONCPU_COUNT = THREAD_STATS_STRUCT.offset("oncpu_count", U64);
  private static final long OFF_NS = THREAD_STATS_STRUCT.offset("off_ns", array(U64, OFF_KINDS));
  private static final long LAST_OFFCPU_TS = THREAD_STATS_STRUCT.offset("last_offcpu_ts", U64);
  private static final long LAST_ONCPU_TS = THREAD_STATS_STRUCT.offset("last_oncpu_ts", U64);
  private static final long LAST_KIND = THREAD_STATS_STRUCT.offset("last_kind", U8);

  public static ThreadSchedStats decode(MemorySegment key, MemorySegment value) {
    return new ThreadSchedStats(
        value.get(JAVA_INT, PID),
        key.get(JAVA_INT, 0),
        value.get(JAVA_LONG, CGROUP_ID),
        value.get(JAVA_LONG, CGROUP_V1_ID),
        value.get(JAVA_LONG, RUNQ_NS),
        value.get(JAVA_LONG, RUNQ_COUNT),
        value.get(JAVA_LONG, ONCPU_NS),
        value.get(JAVA_LONG, ONCPU_COUNT),
        CgroupSchedStats.longs(value, OFF_NS, OFF_KINDS),
        value.get(JAVA_LONG, LAST_OFFCPU_TS),
        value.get(JAVA_LONG, LAST_ONCPU_TS),
        OffCpuKind.ofCode(Byte.toUnsignedInt(value.get(JAVA_BYTE, LAST_KIND))));
  }

  /** Whether the thread left the CPU after it last got one: it is off-CPU now, in lastKind. */
  public boolean offCpuNow() {
    return lastOffcpuTs > lastOncpuTs;
  }

  public long offNs(OffCpuKind kind) {
    return offNs[kind.code()];
  }
}
