package dev.aiprof.bpf.phase;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.StructLayout;

/**
 * Java mirrors of the struct and constants in phase.h. PhaseLayoutTest checks every field's offset
 * and size, and every enum value, against the compiled object's BTF, so a change to the header that
 * is not made here fails the build.
 */
public final class PhaseAbi {
  /** Bytes of a name kept, with its NUL ({@code AIPROF_NAME_MAX} of aiprof.h). */
  public static final int NAME_LEN = 64;

  public static final int COUNTERS = 4;
  public static final int ORIGINS = 2;

  public static final StructLayout EVENT =
      structLayout(
              JAVA_LONG.withName("ts"),
              JAVA_INT.withName("pid"),
              JAVA_INT.withName("tid"),
              JAVA_BYTE.withName("kind"),
              JAVA_BYTE.withName("origin"),
              sequenceLayout(6, JAVA_BYTE).withName("pad"),
              sequenceLayout(NAME_LEN, JAVA_BYTE).withName("name"))
          .withName("phase_event");

  private PhaseAbi() {}

  /** Byte offset of a field of {@code layout}. */
  public static long offset(StructLayout layout, String field) {
    return layout.byteOffset(groupElement(field));
  }
}
