package dev.aiprof.reference.llm.gguf;

import java.util.List;

/**
 * One typed metadata value. Integers of every width are held as {@code Long}, FLOAT32 and FLOAT64
 * as {@code Double} (exact for a float), BOOL as {@code Boolean}, STRING as {@code String}, and an
 * ARRAY as an unmodifiable {@code List} of such values with one {@link #elementType()}. Immutable.
 */
public record GgufValue(GgufValueType type, Object value, GgufValueType elementType) {
  public GgufValue {
    if (type == GgufValueType.ARRAY) {
      if (elementType == null || elementType == GgufValueType.ARRAY) {
        throw new IllegalArgumentException("an array needs a scalar element type");
      }
      value = List.copyOf((List<?>) value);
    }
  }

  public static GgufValue u32(long v) {
    return new GgufValue(GgufValueType.UINT32, v, null);
  }

  public static GgufValue i32(long v) {
    return new GgufValue(GgufValueType.INT32, v, null);
  }

  public static GgufValue u64(long v) {
    return new GgufValue(GgufValueType.UINT64, v, null);
  }

  public static GgufValue f32(double v) {
    return new GgufValue(GgufValueType.FLOAT32, (double) (float) v, null);
  }

  public static GgufValue bool(boolean v) {
    return new GgufValue(GgufValueType.BOOL, v, null);
  }

  public static GgufValue string(String v) {
    return new GgufValue(GgufValueType.STRING, v, null);
  }

  /** An array of {@code elementType}; elements as this record holds scalars of that type. */
  public static GgufValue array(GgufValueType elementType, List<?> elements) {
    return new GgufValue(GgufValueType.ARRAY, elements, elementType);
  }

  /** The value as a long (any integer type). */
  public long asLong() {
    if (!type.isInteger()) {
      throw new GgufFormatException("expected an integer, found " + type);
    }
    return (Long) value;
  }

  /** The value as an int, with a clear error when it does not fit. */
  public int asInt() {
    return Math.toIntExact(asLong());
  }

  /** The value as a float (FLOAT32 or FLOAT64). */
  public float asFloat() {
    if (type != GgufValueType.FLOAT32 && type != GgufValueType.FLOAT64) {
      throw new GgufFormatException("expected a float, found " + type);
    }
    return ((Double) value).floatValue();
  }

  /** The value as a string. */
  public String asString() {
    if (type != GgufValueType.STRING) {
      throw new GgufFormatException("expected a string, found " + type);
    }
    return (String) value;
  }

  /** The value as a boolean. */
  public boolean asBool() {
    if (type != GgufValueType.BOOL) {
      throw new GgufFormatException("expected a bool, found " + type);
    }
    return (Boolean) value;
  }

  /** The elements of an array. */
  public List<?> asList() {
    if (type != GgufValueType.ARRAY) {
      throw new GgufFormatException("expected an array, found " + type);
    }
    return (List<?>) value;
  }
}
