package dev.aiprof.bpf.phase;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PhaseEventViewTest {
  @Test
  void readsEveryFieldInPlace() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = event(a, "forward", PhaseKind.BEGIN.code(), MarkerOrigin.NVTX.code());
      PhaseEventView v = new PhaseEventView().at(e.address());
      assertThat(v.timestampNs()).isEqualTo(123_456_789L);
      assertThat(v.pid()).isEqualTo(10);
      assertThat(v.tid()).isEqualTo(11);
      assertThat(v.kind()).isEqualTo(PhaseKind.BEGIN);
      assertThat(v.origin()).isEqualTo(MarkerOrigin.NVTX);
      assertThat(v.name()).isEqualTo("forward");
      byte[] buf = new byte[PhaseAbi.NAME_LEN];
      int n = v.copyName(buf);
      assertThat(new String(buf, 0, n, StandardCharsets.UTF_8)).isEqualTo("forward");
    }
  }

  @Test
  void aNameFillingTheFieldIsCutBeforeItsLastByte() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = event(a, "x".repeat(PhaseAbi.NAME_LEN), 0, 0);
      PhaseEventView v = new PhaseEventView().at(e.address());
      assertThat(v.copyName(new byte[PhaseAbi.NAME_LEN])).isEqualTo(PhaseAbi.NAME_LEN - 1);
    }
  }

  @Test
  void unknownCodesReadAsNull() {
    assertThat(PhaseKind.ofCode(7)).isNull();
    assertThat(MarkerOrigin.ofCode(-1)).isNull();
    assertThat(MarkerOrigin.ofCode(2)).isNull();
  }

  private static MemorySegment event(Arena a, String name, int kind, int origin) {
    MemorySegment e = a.allocate(PhaseAbi.EVENT);
    PhaseAbi.EVENT.varHandle(groupElement("ts")).set(e, 0L, 123_456_789L);
    PhaseAbi.EVENT.varHandle(groupElement("pid")).set(e, 0L, 10);
    PhaseAbi.EVENT.varHandle(groupElement("tid")).set(e, 0L, 11);
    PhaseAbi.EVENT.varHandle(groupElement("kind")).set(e, 0L, (byte) kind);
    PhaseAbi.EVENT.varHandle(groupElement("origin")).set(e, 0L, (byte) origin);
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    e.asSlice(PhaseAbi.offset(PhaseAbi.EVENT, "name"), bytes.length)
        .copyFrom(MemorySegment.ofArray(bytes));
    return e;
  }
}
