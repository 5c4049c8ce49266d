package dev.aiprof.bpf.sched;

import static dev.aiprof.bpf.AbiStruct.field;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.aiprof.bpf.AbiEnum;
import dev.aiprof.bpf.AbiStruct;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * Java mirrors of the structs and enums in sched.h: every field with its C type ({@link
 * AbiStruct}), every enumerator with its value ({@link AbiEnum}). SchedLayoutTest checks them
 * against the compiled object's BTF, both ways: field names, offsets, sizes, integer widths and
 * signedness, array lengths, and every enumerator (flags included), so a change to the header that
 * is not made here fails the build.
 */
public final class SchedAbi {
  public static final int HIST_SLOTS = 40;
  public static final int OFF_KINDS = 4;
  public static final int COUNTERS = 7;

  /** sched_event.flags: the thread's process is followed (every episode is reported). */
  public static final int EVENT_FOLLOWED = 1;

  /** sched_event.flags: the switch-in was not traced, its time was rebuilt. */
  public static final int EVENT_REBUILT = 2;

  public static final AbiStruct CGROUP_KEY_STRUCT =
      AbiStruct.of("sched_cgroup_key", field("cgroup_id", U64), field("cgroup_v1_id", U64));

  public static final AbiStruct CGROUP_STATS_STRUCT =
      AbiStruct.of(
          "sched_cgroup_stats",
          field("runq_hist", array(U64, HIST_SLOTS)),
          field("blocked_hist", array(U64, HIST_SLOTS)),
          field("runq_ns", U64),
          field("runq_max_ns", U64),
          field("oncpu_ns", U64),
          field("oncpu_count", U64),
          field("off_ns", array(U64, OFF_KINDS)),
          field("off_count", array(U64, OFF_KINDS)));

  public static final AbiStruct THREAD_STATS_STRUCT =
      AbiStruct.of(
          "sched_thread_stats",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("runq_ns", U64),
          field("runq_count", U64),
          field("oncpu_ns", U64),
          field("oncpu_count", U64),
          field("off_ns", array(U64, OFF_KINDS)),
          field("last_offcpu_ts", U64),
          field("last_oncpu_ts", U64),
          field("pid", U32),
          field("last_kind", U8),
          field("pad", array(U8, 3)));

  public static final AbiStruct EVENT_STRUCT =
      AbiStruct.of(
          "sched_event",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("offcpu_ts", U64),
          field("runnable_ts", U64),
          field("oncpu_ts", U64),
          field("steal_ns", U64),
          field("pid", U32),
          field("tid", U32),
          field("waker_pid", U32),
          field("waker_tid", U32),
          field("kind", U8),
          field("flags", U8),
          field("pad", array(U8, 2)),
          field("cpu", U32));

  /** Every struct of sched.h. */
  public static final List<AbiStruct> STRUCTS =
      List.of(CGROUP_KEY_STRUCT, CGROUP_STATS_STRUCT, THREAD_STATS_STRUCT, EVENT_STRUCT);

  /** Every enum of sched.h, with every enumerator. */
  public static final List<AbiEnum> ENUMS =
      List.of(
          AbiEnum.named("sched_limits")
              .constant("SCHED_HIST_SLOTS", HIST_SLOTS)
              .constant("SCHED_COUNTERS", COUNTERS)
              .build(),
          AbiEnum.named("sched_off_kind")
              .constants("SCHED_OFF_", OffCpuKind.values(), OffCpuKind::code)
              .constant("SCHED_OFF_KINDS", OFF_KINDS)
              .build(),
          AbiEnum.named("sched_event_flag")
              .constant("SCHED_EVENT_FOLLOWED", EVENT_FOLLOWED)
              .constant("SCHED_EVENT_REBUILT", EVENT_REBUILT)
              .build(),
          AbiEnum.named("sched_counter")
              .constants("SCHED_CNT_", SchedCounter.values(), SchedCounter::index)
              .build());

  public static final StructLayout CGROUP_KEY = CGROUP_KEY_STRUCT.layout();
  public static final StructLayout CGROUP_STATS = CGROUP_STATS_STRUCT.layout();
  public static final StructLayout THREAD_STATS = THREAD_STATS_STRUCT.layout();
  public static final StructLayout EVENT = EVENT_STRUCT.layout();

  private SchedAbi() {}

  /** Byte offset of a field of {@code layout}. */
  public static long offset(StructLayout layout, String field) {
    return layout.byteOffset(groupElement(field));
  }
}
