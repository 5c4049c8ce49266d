package dev.aiprof.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads of native memory at absolute addresses, for decoding ring-buffer records in place without
 * allocating. Callers must only pass addresses they were handed for the duration of a callback.
 */
public final class RawMemory {
  private static final MemorySegment ALL = Native.ALL;

  private RawMemory() {}

  public static long u64(long address) {
    return ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
  }

  public static int u32(long address) {
    return ALL.get(ValueLayout.JAVA_INT_UNALIGNED, address);
  }

  public static int u8(long address) {
    return ALL.get(ValueLayout.JAVA_BYTE, address) & 0xff;
  }

  /** A NUL-terminated string of at most {@code max} bytes (UTF-8). */
  public static String string(long address, int max) {
    MemorySegment s = ALL.asSlice(address, max);
    int n = 0;
    while (n < max && s.get(ValueLayout.JAVA_BYTE, n) != 0) {
      n++;
    }
    return new String(
        s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
  }
}
