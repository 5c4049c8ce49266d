package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decoding of the NVML structs from inline bytes (the C fake checks the layouts themselves). */
class StructsTest {
  private static ByteBuffer buf(int size) {
    return Structs.wrap(ByteBuffer.allocate(size));
  }

  @Test
  void fieldValuesByTheirValueType() {
    ByteBuffer b = buf(3 * Structs.FIELD_VALUE);
    Structs.fieldRequest(b, new int[] {138, 91, 7});
    b.putInt(24, 3).putInt(28, 0).putLong(32, -1L); // unsigned long long: 2^64 - 1
    b.putInt(40 + 24, 1).putInt(40 + 28, 0).putInt(40 + 32, 0xFFFFFFFF); // unsigned int
    b.putInt(80 + 24, 0).putInt(80 + 28, 3).putDouble(80 + 32, 1.5); // double, NOT_SUPPORTED
    b.putLong(8, 1_700_000_000_000_000L);
    Nvml.FieldValue a = Structs.fieldValue(b, 0);
    assertThat(a.fieldId()).isEqualTo(138);
    assertThat(a.value()).isEqualTo(18446744073709551615.0);
    assertThat(a.timestampUs()).isEqualTo(1_700_000_000_000_000L);
    assertThat(Structs.fieldValue(b, 1).value()).isEqualTo(4294967295.0);
    Nvml.FieldValue c = Structs.fieldValue(b, 2);
    assertThat(c.status()).isEqualTo(NvmlReturn.ERROR_NOT_SUPPORTED);
    assertThat(c.value()).isEqualTo(1.5);
  }

  @Test
  void pciInfoAndProcessesAtTheirOffsets() {
    ByteBuffer p = buf(Structs.PCI_INFO);
    p.put(36, "00000000:18:00.0".getBytes(StandardCharsets.US_ASCII));
    p.putInt(16, 0).putInt(20, 0x18).putInt(24, 0).putInt(28, 0x233010de).putInt(32, 7);
    assertThat(Structs.pci(p))
        .isEqualTo(new Nvml.Pci("00000000:18:00.0", 0, 0x18, 0, 0x233010de, 7));

    ByteBuffer q = buf(2 * Structs.PROCESS_INFO);
    q.putInt(24, 4242).putLong(32, 1L << 30).putInt(40, -1).putInt(44, -1);
    assertThat(Structs.process(q, 1)).isEqualTo(new Nvml.Process(4242, 1L << 30, -1, -1));
  }

  @Test
  void memoryV2AndItsVersion() {
    assertThat(Structs.MEMORY_V2_VERSION).isEqualTo(0x02000028);
    ByteBuffer m = buf(Structs.MEMORY_V2);
    m.putInt(0, Structs.MEMORY_V2_VERSION)
        .putLong(8, 100)
        .putLong(16, 5)
        .putLong(24, 60)
        .putLong(32, 35);
    assertThat(Structs.memoryV2(m)).isEqualTo(new Nvml.Memory(100, 5, 60, 35));
  }

  @Test
  void aStringStopsAtItsTerminatorOrItsBuffer() {
    ByteBuffer s = buf(8);
    s.put(0, "abcdefgh".getBytes(StandardCharsets.US_ASCII));
    assertThat(Structs.cString(s, 0, 8)).isEqualTo("abcdefgh");
    s.put(3, (byte) 0);
    assertThat(Structs.cString(s, 0, 8)).isEqualTo("abc");
  }
}
