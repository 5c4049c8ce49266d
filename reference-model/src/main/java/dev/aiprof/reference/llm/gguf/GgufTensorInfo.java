package dev.aiprof.reference.llm.gguf;

import java.util.Arrays;

/**
 * One tensor's entry in the file: name, dimensions innermost first (ggml's {@code ne[0]} is the
 * length of a row), element type, and offset from the start of the data section.
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset) {
  public GgufTensorInfo {
    dims = dims.clone();
  }

  /** Number of elements. */
  public long elements() {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Size of the data in bytes. */
  public long byteSize() {
    return elements() * type.bytes();
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GgufTensorInfo t
        && name.equals(t.name)
        && Arrays.equals(dims, t.dims)
        && type == t.type
        && offset == t.offset;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(dims) + " " + type + " @" + offset;
  }
}
