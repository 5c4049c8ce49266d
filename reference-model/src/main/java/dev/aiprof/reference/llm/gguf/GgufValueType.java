package dev.aiprof.reference.llm.gguf;

/** The type tag of a GGUF metadata value ({@code gguf_type}), with its on-disk code. */
public enum GgufValueType {
  UINT8(0),
  INT8(1),
  UINT16(2),
  INT16(3),
  UINT32(4),
  INT32(5),
  FLOAT32(6),
  BOOL(7),
  STRING(8),
  ARRAY(9),
  UINT64(10),
  INT64(11),
  FLOAT64(12);

  private final int code;

  GgufValueType(int code) {
    this.code = code;
  }

  /** The code as the file stores it (a uint32). */
  public int code() {
    return code;
  }

  /** The type of {@code code}; a clear error for a code this reader does not know. */
  public static GgufValueType of(long code) {
    for (GgufValueType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new GgufFormatException("unknown metadata value type " + code);
  }

  /** Whether values of this type are integers (held as {@code Long}). */
  public boolean isInteger() {
    return switch (this) {
      case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
      default -> false;
    };
  }
}
