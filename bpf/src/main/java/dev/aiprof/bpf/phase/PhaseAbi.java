package dev.aiprof.bpf.phase;

import static dev.aiprof.bpf.AbiStruct.field;
import static dev.aiprof.bpf.CType.CHAR;
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
 * Java mirrors of the struct and enums in phase.h: every field with its C type, every enumerator
 * with its value. PhaseLayoutTest checks them against the compiled object's BTF both ways, so a
 * change to the header that is not made here fails the build.
 */
public final class PhaseAbi {
  /** Bytes of a name kept, with its NUL ({@code AIPROF_NAME_MAX} of aiprof.h). */
  public static final int NAME_LEN = 64;

  public static final int COUNTERS = 4;
  public static final int ORIGINS = 2;

  public static final AbiStruct EVENT_STRUCT =
      AbiStruct.of(
          "phase_event",
          field("ts", U64),
          field("pid", U32),
          field("tid", U32),
          field("kind", U8),
          field("origin", U8),
          field("pad", array(U8, 6)),
          field("name", array(CHAR, NAME_LEN)));

  /** Every struct of phase.h. */
  public static final List<AbiStruct> STRUCTS = List.of(EVENT_STRUCT);

  /** Every enum of phase.h, with every enumerator. */
  public static final List<AbiEnum> ENUMS =
      List.of(
          AbiEnum.named("phase_limits")
              .constant("PHASE_NAME_LEN", NAME_LEN)
              .constant("PHASE_COUNTERS", COUNTERS)
              .build(),
          AbiEnum.named("phase_kind")
              .constants("PHASE_", PhaseKind.values(), PhaseKind::code)
              .build(),
          AbiEnum.named("phase_origin")
              .constants("PHASE_ORIGIN_", MarkerOrigin.values(), MarkerOrigin::code)
              .constant("PHASE_ORIGINS", ORIGINS)
              .build(),
          AbiEnum.named("phase_counter")
              .constants("PHASE_CNT_", PhaseCounter.values(), PhaseCounter::index)
              .build());

  public static final StructLayout EVENT = EVENT_STRUCT.layout();

  private PhaseAbi() {}

  /** Byte offset of a field of {@code layout}. */
  public static long offset(StructLayout layout, String field) {
    return layout.byteOffset(groupElement(field));
  }
}
