package dev.aiprof.reference.llm.gguf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes one typed metadata value in its GGUF encoding. */
final class GgufValueCodec {
  /** Most array elements accepted: a bound against a corrupt count. */
  static final long MAX_ARRAY = 1 << 24;

  private GgufValueCodec() {}

  static void write(LittleEndianOut out, GgufValue v) throws IOException {
    out.u32(v.type().code());
    if (v.type() == GgufValueType.ARRAY) {
      out.u32(v.elementType().code());
      out.u64(v.asList().size());
      for (Object e : v.asList()) {
        scalar(out, v.elementType(), e);
      }
    } else {
      scalar(out, v.type(), v.value());
    }
  }

  static GgufValue read(LittleEndianIn in) throws IOException {
    GgufValueType type = GgufValueType.of(in.u32());
    if (type != GgufValueType.ARRAY) {
      return new GgufValue(type, scalar(in, type), null);
    }
    GgufValueType element = GgufValueType.of(in.u32());
    long n = in.u64();
    if (element == GgufValueType.ARRAY || n < 0 || n > MAX_ARRAY) {
      throw new GgufFormatException("array of " + n + " " + element + " is not supported");
    }
    List<Object> list = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      list.add(scalar(in, element));
    }
    return GgufValue.array(element, list);
  }

  private static void scalar(LittleEndianOut out, GgufValueType t, Object v) throws IOException {
    switch (t) {
      case UINT8, INT8 -> out.u8((int) (long) (Long) v);
      case UINT16, INT16 -> out.u16((int) (long) (Long) v);
      case UINT32, INT32 -> out.u32((Long) v);
      case UINT64, INT64 -> out.u64((Long) v);
      case FLOAT32 -> out.u32(Float.floatToRawIntBits(((Double) v).floatValue()) & 0xffffffffL);
      case FLOAT64 -> out.u64(Double.doubleToRawLongBits((Double) v));
      case BOOL -> out.u8((Boolean) v ? 1 : 0);
      case STRING -> out.string((String) v);
      case ARRAY -> throw new IllegalArgumentException("nested arrays are not supported");
    }
  }

  private static Object scalar(LittleEndianIn in, GgufValueType t) throws IOException {
    return switch (t) {
      case UINT8 -> (long) in.u8();
      case INT8 -> (long) (byte) in.u8();
      case UINT16 -> (long) in.u16();
      case INT16 -> (long) (short) in.u16();
      case UINT32 -> in.u32();
      case INT32 -> (long) (int) in.u32();
      case UINT64, INT64 -> in.u64();
      case FLOAT32 -> (double) Float.intBitsToFloat((int) in.u32());
      case FLOAT64 -> Double.longBitsToDouble(in.u64());
      case BOOL -> in.u8() != 0;
      case STRING -> in.string();
      case ARRAY -> throw new GgufFormatException("nested arrays are not supported");
    };
  }
}
