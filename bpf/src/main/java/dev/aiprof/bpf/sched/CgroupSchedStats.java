package dev.aiprof.bpf.sched;

import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.array;
import static dev.aiprof.bpf.sched.SchedAbi.CGROUP_KEY_STRUCT;
import static dev.aiprof.bpf.sched.SchedAbi.CGROUP_STATS_STRUCT;
import static dev.aiprof.bpf.sched.SchedAbi.HIST_SLOTS;
import static dev.aiprof.bpf.sched.SchedAbi.OFF_KINDS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.api.metrics.Log2Histogram;
import java.lang.foreign.MemorySegment;

/**
 * Cumulative scheduler statistics of one workload identity (cgroup v2 id + v1 memory-cgroup id), as
 * read from the {@code cgroup_stats} map. Subtract two readings with {@link #minus} for an
 * interval.
 *
 * @param offNs off-CPU nanoseconds before becoming runnable, indexed by {@link OffCpuKind#code()}
 * @param offCount off-CPU episodes, indexed the same way ({@code PREEMPTED}: involuntary switches)
 */
public record CgroupSchedStats(
    long cgroupId,
    long cgroupV1Id,
    Log2Histogram runqueue,
    Log2Histogram blocked,
    long runqueueNs,
    long runqueueMaxNs,
    long onCpuNs,
    long onCpuSlices,
    long[] offNs,
    long[] offCount) {

  private static final long KEY_CGROUP_ID = CGROUP_KEY_STRUCT.offset("cgroup_id", U64);
  private static final long KEY_CGROUP_V1_ID = CGROUP_KEY_STRUCT.offset("cgroup_v1_id", U64);
  private static final long RUNQ_HIST =
      CGROUP_STATS_STRUCT.offset("runq_hist", array(U64, HIST_SLOTS));
  private static final long BLOCKED_HIST =
      CGROUP_STATS_STRUCT.offset("blocked_hist", array(U64, HIST_SLOTS));
  private static final long RUNQ_NS = CGROUP_STATS_STRUCT.offset("runq_ns", U64);
  private static final long RUNQ_MAX = CGROUP_STATS_STRUCT.offset("runq_max_ns", U64);
  private static final long ONCPU_NS = CGROUP_STATS_STRUCT.offset("oncpu_ns", U64);
  private static final long ONCPU_COUNT = CGROUP_STATS_STRUCT.offset("oncpu_count", U64);
  private static final long OFF_NS = CGROUP_STATS_STRUCT.offset("off_ns", array(U64, OFF_KINDS));
  private static final long OFF_COUNT =
      CGROUP_STATS_STRUCT.offset("off_count", array(U64, OFF_KINDS));

  /** Decodes a key/value pair of the cgroup_stats map. */
  public static CgroupSchedStats decode(MemorySegment key, MemorySegment value) {
    return new CgroupSchedStats(
        key.get(JAVA_LONG, KEY_CGROUP_ID),
        key.get(JAVA_LONG, KEY_CGROUP_V1_ID),
        new Log2Histogram(longs(value, RUNQ_HIST, HIST_SLOTS)),
        new Log2Histogram(longs(value, BLOCKED_HIST, HIST_SLOTS)),
        value.get(JAVA_LONG, RUNQ_NS),
        value.get(JAVA_LONG, RUNQ_MAX),
        value.get(JAVA_LONG, ONCPU_NS),
        value.get(JAVA_LONG, ONCPU_COUNT),
        longs(value, OFF_NS, OFF_KINDS),
        longs(value, OFF_COUNT, OFF_KINDS));
  }

  public long offNs(OffCpuKind kind) {
    return offNs[kind.code()];
  }

  public long offCount(OffCpuKind kind) {
    return offCount[kind.code()];
  }

  /** Total off-CPU time: every wait before becoming runnable plus every runqueue wait. */
  public long offCpuTotalNs() {
    long sum = runqueueNs;
    for (long v : offNs) {
      sum += v;
    }
    return sum;
  }

  /**
   * This reading minus an earlier one of the same cgroup. The max is not subtractable: the result
   * keeps this reading's.
   */
  public CgroupSchedStats minus(CgroupSchedStats e) {
    return new CgroupSchedStats(
        cgroupId,
        cgroupV1Id,
        runqueue.minus(e.runqueue),
        blocked.minus(e.blocked),
        runqueueNs - e.runqueueNs,
        runqueueMaxNs,
        onCpuNs - e.onCpuNs,
        onCpuSlices - e.onCpuSlices,
        diff(offNs, e.offNs),
        diff(offCount, e.offCount));
  }

  static long[] longs(MemorySegment s, long offset, int n) {
    return s.asSlice(offset, n * 8L).toArray(JAVA_LONG);
  }

  static long[] diff(long[] a, long[] b) {
    long[] d = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }
}
