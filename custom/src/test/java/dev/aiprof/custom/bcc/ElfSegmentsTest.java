package dev.aiprof.custom.bcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ElfSegmentsTest {
  static ByteBuffer header() {
    ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1);
    return h;
  }

  @Test
  void mapsVirtualAddressesToFileOffsetsThroughLoadSegments() {
    // as a non-PIE gcc executable: text at 0x401000 from file offset 0x1000
    ByteBuffer t = ByteBuffer.allocate(56 * 3).order(ByteOrder.LITTLE_ENDIAN);
    t.putInt(0, 6); // PT_PHDR, ignored
    t.putInt(56, 1).putLong(56 + 8, 0x1000).putLong(56 + 16, 0x401000).putLong(56 + 32, 0x261);
    t.putInt(112, 1).putLong(112 + 8, 0x2df8).putLong(112 + 16, 0x403df8).putLong(112 + 32, 0x242);
    ElfSegments s = ElfSegments.parse(header(), t, 56, 3);
    assertThat(s.loads()).hasSize(2);
    assertThat(s.fileOffset(0x401166)).hasValue(0x1166);
    assertThat(s.fileOffset(0x403e00)).hasValue(0x2e00);
    // no segment holds it: no guess
    assertThat(s.fileOffset(0x9999)).isEmpty();
    // the semaphore only in a writable segment, 2-byte aligned
    assertThat(s.semaphoreOffset(0x401166)).isEmpty();
    assertThat(s.semaphoreOffset(0x403e00)).isEmpty();
    t.putInt(112 + 4, 6); // PF_R | PF_W
    ElfSegments w = ElfSegments.parse(header(), t, 56, 3);
    assertThat(w.semaphoreOffset(0x403e00)).hasValue(0x2e00);
    assertThat(w.semaphoreOffset(0x403e01)).isEmpty();
    assertThat(w.semaphoreOffset(0x403df8 + 0x242)).isEmpty();
  }

  @Test
  void refusesWhatIsNotElf64() {
    ByteBuffer bad = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    assertThatThrownBy(() -> ElfSegments.parse(bad, ByteBuffer.allocate(0), 56, 0))
        .hasMessageContaining("not a 64-bit");
  }
}
