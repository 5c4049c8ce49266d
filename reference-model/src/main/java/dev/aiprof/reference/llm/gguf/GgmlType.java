package dev.aiprof.reference.llm.gguf;

/** The element type of a tensor ({@code ggml_type}); only the unquantized ones we write. */
public enum GgmlType {
  F32(0, 4),
  F16(1, 2);

  private final int code;
  private final int bytes;

  GgmlType(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  /** The code as the file stores it (a uint32). */
  public int code() {
    return code;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The type of {@code code}; a clear error for a quantized or unknown type. */
  public static GgmlType of(long code) {
    for (GgmlType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new GgufFormatException(
        "tensor type " + code + " is not supported (this reader decodes F32 and F16 only)");
  }
}
