package dev.aiprof.bpf;

import static dev.aiprof.bpf.AbiStruct.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class AbiStructTest {
  private static final AbiStruct S =
      AbiStruct.of(
          "s",
          field("a", CType.U8),
          field("b", CType.S32),
          field("c", CType.array(CType.U16, 3)),
          field("d", CType.U64),
          field("e", CType.U8));

  @Test
  void laysOutAsCDoes() {
    assertThat(S.offset("a")).isZero();
    assertThat(S.offset("b")).isEqualTo(4);
    assertThat(S.offset("c")).isEqualTo(8);
    assertThat(S.offset("d")).isEqualTo(16);
    assertThat(S.offset("e")).isEqualTo(24);
    assertThat(S.layout().byteSize()).as("padded to its alignment").isEqualTo(32);
    assertThat(S.layout().name()).contains("s");
    assertThat(S.layout().select(java.lang.foreign.MemoryLayout.PathElement.groupElement("b")))
        .isEqualTo(ValueLayout.JAVA_INT.withName("b"));
  }

  @Test
  void aDecoderMustReadAFieldAsItIsDeclared() {
    assertThat(S.offset("b", CType.S32)).isEqualTo(4);
    assertThatThrownBy(() -> S.offset("b", CType.U32))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("s.b is s32, but it is read as u32");
    assertThatThrownBy(() -> S.offset("d", CType.U32)).hasMessageContaining("s.d is u64");
  }

  @Test
  void headersDeclarationsAreFoundOutsideComments() {
    assertThat(AbiCheck.declared(java.nio.file.Path.of("src/main/bpf/sched.h"), "enum"))
        .containsExactly("sched_limits", "sched_off_kind", "sched_event_flag", "sched_counter");
    assertThat(AbiCheck.declared(java.nio.file.Path.of("src/main/bpf/phase.h"), "struct"))
        .containsExactly("phase_event");
  }
}
