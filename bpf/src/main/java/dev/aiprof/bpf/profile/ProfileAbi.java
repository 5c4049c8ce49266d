package dev.aiprof.bpf.profile;

import static dev.aiprof.bpf.AbiStruct.field;
import static dev.aiprof.bpf.CType.S32;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;

import dev.aiprof.bpf.AbiEnum;
import dev.aiprof.bpf.AbiStruct;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * Java mirrors of the struct and enums in profile.h. ProfileLayoutTest checks them against the
 * compiled object's BTF both ways.
 */
public final class ProfileAbi {
  /** Frames kept of a stack, innermost first. */
  public static final int STACK_DEPTH = 64;

  public static final int COUNTERS = 8;

  /** {@code PROFILE_FLAG_FOLLOWED}: the task's process is followed. */
  public static final int FLAG_FOLLOWED = 1;

  /** {@code PROFILE_FLAG_INLINE}: a {@code profile_offcpu_event}, stacks inline. */
  public static final int FLAG_INLINE = 2;

  public static final AbiStruct EVENT_STRUCT =
      AbiStruct.of(
          "profile_event",
          field("ts", U64),
          field("off_ns", U64),
          field("cgroup_id", U64),
          field("pid", U32),
          field("tid", U32),
          field("user_stack", S32),
          field("kernel_stack", S32),
          field("kind", U8),
          field("flags", U8),
          field("state", U8),
          field("cpu", U8),
          field("stack_gen", U32));

  public static final AbiStruct STACKS_STRUCT =
      AbiStruct.of(
          "profile_stacks",
          field("user", array(U64, STACK_DEPTH)),
          field("kernel", array(U64, STACK_DEPTH)));

  public static final List<AbiStruct> STRUCTS = List.of(EVENT_STRUCT, STACKS_STRUCT);

  public static final List<AbiEnum> ENUMS =
      List.of(
          AbiEnum.named("profile_limits")
              .constant("PROFILE_STACK_DEPTH", STACK_DEPTH)
              .constant("PROFILE_COUNTERS", COUNTERS)
              .build(),
          AbiEnum.named("profile_kind")
              .constants("PROFILE_", ProfileKind.values(), ProfileKind::code)
              .build(),
          AbiEnum.named("profile_counter")
              .constants("PROFILE_CNT_", ProfileCounter.values(), ProfileCounter::index)
              .build(),
          AbiEnum.named("profile_flag")
              .constant("PROFILE_FLAG_FOLLOWED", FLAG_FOLLOWED)
              .constant("PROFILE_FLAG_INLINE", FLAG_INLINE)
              .build());

  public static final StructLayout EVENT = EVENT_STRUCT.layout();

  /** An off-CPU record: the event, then {@code struct profile_stacks} right after it. */
  public static final long OFFCPU_USER = EVENT.byteSize() + STACKS_STRUCT.offset("user");

  public static final long OFFCPU_KERNEL = EVENT.byteSize() + STACKS_STRUCT.offset("kernel");
  public static final long OFFCPU_SIZE = EVENT.byteSize() + STACKS_STRUCT.layout().byteSize();

  private ProfileAbi() {}
}
