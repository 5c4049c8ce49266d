package dev.aiprof.gpu.nvml;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The layouts (x86-64 and arm64 LP64) of the NVML structs aiprof reads, and their decoding: pure
 * functions over a buffer, tested with inline bytes. The fake library's {@code nvml_abi.h} asserts
 * the same sizes and offsets at compile time.
 */
final class Structs {
  static final int UTILIZATION = 8;
  static final int MEMORY_V1 = 24;
  static final int MEMORY_V2 = 40;

  /** {@code nvmlMemory_v2}: the struct's size with version 2 in the top byte. */
  static final int MEMORY_V2_VERSION = MEMORY_V2 | (2 << 24);

  static final int PCI_INFO = 68;
  static final int PROCESS_INFO = 24;
  static final int PROCESS_SAMPLE = 32;
  static final int FIELD_VALUE = 40;
  static final int EVENT_DATA = 32;

  private static final int VALUE_TYPE_DOUBLE = 0;
  private static final int VALUE_TYPE_UINT = 1;
  private static final int VALUE_TYPE_ULONG = 2;
  private static final int VALUE_TYPE_ULONGLONG = 3;
  private static final int VALUE_TYPE_SLONGLONG = 4;
  private static final int VALUE_TYPE_SINT = 5;

  private Structs() {}

  static ByteBuffer wrap(ByteBuffer b) {
    return b.order(ByteOrder.nativeOrder());
  }

  /** A NUL-terminated string of at most {@code max} bytes at {@code offset}. */
  static String cString(ByteBuffer b, int offset, int max) {
    int n = 0;
    while (n < max && offset + n < b.limit() && b.get(offset + n) != 0) {
      n++;
    }
    byte[] bytes = new byte[n];
    b.get(offset, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static Nvml.Utilization utilization(ByteBuffer b) {
    return new Nvml.Utilization(b.getInt(0), b.getInt(4));
  }

  static Nvml.Memory memoryV2(ByteBuffer b) {
    return new Nvml.Memory(b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32));
  }

  /** v1 counts the reserved memory as used; reserved is unknown (-1). */
  static Nvml.Memory memoryV1(ByteBuffer b) {
    return new Nvml.Memory(b.getLong(0), -1, b.getLong(8), b.getLong(16));
  }

  static Nvml.Pci pci(ByteBuffer b) {
    return new Nvml.Pci(
        cString(b, 36, 32), b.getInt(16), b.getInt(20), b.getInt(24), b.getInt(28), b.getInt(32));
  }

  static Nvml.Process process(ByteBuffer b, int i) {
    int o = i * PROCESS_INFO;
    return new Nvml.Process(b.getInt(o), b.getLong(o + 8), b.getInt(o + 16), b.getInt(o + 20));
  }

  static Nvml.ProcessSample processSample(ByteBuffer b, int i) {
    int o = i * PROCESS_SAMPLE;
    return new Nvml.ProcessSample(
        b.getInt(o),
        b.getLong(o + 8),
        b.getInt(o + 16),
        b.getInt(o + 20),
        b.getInt(o + 24),
        b.getInt(o + 28));
  }

  /** Writes the ids a {@code nvmlDeviceGetFieldValues} call asks for (scope 0). */
  static void fieldRequest(ByteBuffer b, int[] ids) {
    for (int i = 0; i < ids.length; i++) {
      b.putInt(i * FIELD_VALUE, ids[i]);
      b.putInt(i * FIELD_VALUE + 4, 0);
    }
  }

  static Nvml.FieldValue fieldValue(ByteBuffer b, int i) {
    int o = i * FIELD_VALUE;
    int type = b.getInt(o + 24);
    double v =
        switch (type) {
          case VALUE_TYPE_DOUBLE -> b.getDouble(o + 32);
          case VALUE_TYPE_UINT -> Integer.toUnsignedLong(b.getInt(o + 32));
          case VALUE_TYPE_SINT -> b.getInt(o + 32);
          case VALUE_TYPE_ULONG, VALUE_TYPE_ULONGLONG -> unsigned(b.getLong(o + 32));
          case VALUE_TYPE_SLONGLONG -> b.getLong(o + 32);
          default -> Double.NaN;
        };
    return new Nvml.FieldValue(
        b.getInt(o), b.getInt(o + 4), b.getLong(o + 8), NvmlReturn.of(b.getInt(o + 28)), v);
  }

  static Nvml.Event event(ByteBuffer b) {
    return new Nvml.Event(
        new Nvml.Device(b.getLong(0)), b.getLong(8), b.getLong(16), b.getInt(24), b.getInt(28));
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }
}
