package dev.aiprof.bpf;

/**
 * The C type of a field shared between a BPF program and Java, as far as the ABI cares: integers by
 * size and signedness (BTF's INT encoding; enums as their underlying integer), arrays by element
 * and length. The Java mirrors of the shared headers declare their fields with these ({@link
 * AbiStruct}); {@link Btf#fieldTypes} reads the same from the compiled object, so the two can be
 * compared exactly.
 */
public sealed interface CType {
  CType U8 = new Int(1, false);
  CType S8 = new Int(1, true);
  CType U16 = new Int(2, false);
  CType S16 = new Int(2, true);
  CType U32 = new Int(4, false);
  CType S32 = new Int(4, true);
  CType U64 = new Int(8, false);
  CType S64 = new Int(8, true);

  /** Plain {@code char}: signed for the BPF target (clang), as BTF records it. */
  CType CHAR = S8;

  static CType array(CType element, int length) {
    return new Array(element, length);
  }

  /** Bytes it takes in a struct. */
  long byteSize();

  /** An integer of {@code bytes} bytes; {@code signed} as BTF's INT_SIGNED bit (or enum kflag). */
  record Int(int bytes, boolean signed) implements CType {
    public Int {
      if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
        throw new IllegalArgumentException("integers are 1, 2, 4 or 8 bytes, not " + bytes);
      }
    }

    @Override
    public long byteSize() {
      return bytes;
    }

    @Override
    public String toString() {
      return (signed ? "s" : "u") + bytes * 8;
    }
  }

  /** {@code length} elements of {@code element}. */
  record Array(CType element, int length) implements CType {
    @Override
    public long byteSize() {
      return element.byteSize() * length;
    }

    @Override
    public String toString() {
      return element + "[" + length + "]";
    }
  }

  /** Anything else BTF can hold (a pointer, a nested struct): never equal to a Java declaration. */
  record Other(String description, long byteSize) implements CType {
    @Override
    public String toString() {
      return description;
    }
  }
}
