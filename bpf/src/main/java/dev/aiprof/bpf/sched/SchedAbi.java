package dev.aiprof.bpf.sched;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.StructLayout;

/**
 * Java mirrors of the structs and constants in sched.h. SchedLayoutTest checks every field's offset
 * and size, and every enum value, against the compiled object's BTF, so a change to the header that
 * is not made here fails the build.
 */
public final class SchedAbi {
  public static final int HIST_SLOTS = 40;
  public static final int OFF_KINDS = 4;
  public static final int COUNTERS = 7;

  /** sched_event.flags: the thread's process is followed (every episode is reported). */
  public static final int EVENT_FOLLOWED = 1;

  public static final int EVENT_REBUILT = 2;

  public static final StructLayout CGROUP_KEY =
      structLayout(JAVA_LONG.withName("cgroup_id"), JAVA_LONG.withName("cgroup_v1_id"))
          .withName("sched_cgroup_key");

  public static final StructLayout CGROUP_STATS =
      structLayout(
              sequenceLayout(HIST_SLOTS, JAVA_LONG).withName("runq_hist"),
              sequenceLayout(HIST_SLOTS, JAVA_LONG).withName("blocked_hist"),
              JAVA_LONG.withName("runq_ns"),
              JAVA_LONG.withName("runq_max_ns"),
              JAVA_LONG.withName("oncpu_ns"),
              JAVA_LONG.withName("oncpu_count"),
              sequenceLayout(OFF_KINDS, JAVA_LONG).withName("off_ns"),
              sequenceLayout(OFF_KINDS, JAVA_LONG).withName("off_count"))
          .withName("sched_cgroup_stats");

  public static final StructLayout THREAD_STATS =
      structLayout(
              JAVA_LONG.withName("cgroup_id"),
              JAVA_LONG.withName("cgroup_v1_id"),
              JAVA_LONG.withName("runq_ns"),
              JAVA_LONG.withName("runq_count"),
              JAVA_LONG.withName("oncpu_ns"),
              JAVA_LONG.withName("oncpu_count"),
              sequenceLayout(OFF_KINDS, JAVA_LONG).withName("off_ns"),
              JAVA_LONG.withName("last_offcpu_ts"),
              JAVA_LONG.withName("last_oncpu_ts"),
              JAVA_INT.withName("pid"),
              JAVA_BYTE.withName("last_kind"),
              sequenceLayout(3, JAVA_BYTE).withName("pad"))
          .withName("sched_thread_stats");

  public static final StructLayout EVENT =
      structLayout(
              JAVA_LONG.withName("cgroup_id"),
              JAVA_LONG.withName("cgroup_v1_id"),
              JAVA_LONG.withName("offcpu_ts"),
              JAVA_LONG.withName("runnable_ts"),
              JAVA_LONG.withName("oncpu_ts"),
              JAVA_LONG.withName("steal_ns"),
              JAVA_INT.withName("pid"),
              JAVA_INT.withName("tid"),
              JAVA_INT.withName("waker_pid"),
              JAVA_INT.withName("waker_tid"),
              JAVA_BYTE.withName("kind"),
              JAVA_BYTE.withName("flags"),
              sequenceLayout(2, JAVA_BYTE).withName("pad"),
              JAVA_INT.withName("cpu"))
          .withName("sched_event");

  private SchedAbi() {}

  /** Byte offset of a field of {@code layout}. */
  public static long offset(StructLayout layout, String field) {
    return layout.byteOffset(groupElement(field));
  }
}
