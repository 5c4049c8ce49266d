package dev.aiprof.bpf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java mirror of one struct of a probe's shared header: its fields with their C types, in
 * order. From it come the {@link StructLayout} (each integer as the Java value layout of its width,
 * padded as C pads) and the field offsets decoders read at; {@link #offset(String, CType)} also
 * states the type the decoder reads, so a decoder cannot silently read a field with another width.
 * The layout tests compare every field's type with the compiled object's BTF.
 *
 * <p>Immutable and thread-safe.
 */
public final class AbiStruct {
  /** One field: its name in the header and its C type. */
  public record Field(String name, CType type) {}

  private final String name;
  private final List<Field> fields;
  private final StructLayout layout;

  private AbiStruct(String name, List<Field> fields) {
    this.name = name;
    this.fields = List.copyOf(fields);
    this.layout = layoutOf(name, fields);
  }

  public static Field field(String name, CType type) {
    return new Field(name, type);
  }

  /** {@code struct name} with {@code fields} in declaration order. */
  public static AbiStruct of(String name, Field... fields) {
    return new AbiStruct(name, List.of(fields));
  }

  public String name() {
    return name;
  }

  public List<Field> fields() {
    return fields;
  }

  /** Field name → C type, in declaration order. */
  public Map<String, CType> fieldTypes() {
    Map<String, CType> m = new LinkedHashMap<>();
    for (Field f : fields) {
      m.put(f.name(), f.type());
    }
    return m;
  }

  /** The layout, named after the struct; its members are named after the fields. */
  public StructLayout layout() {
    return layout;
  }

  public long offset(String field) {
    return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
  }

  /**
   * The offset of {@code field}, which the caller reads as {@code readAs}: throws {@link
   * IllegalStateException} (at the decoder's class initialization) when the mirror declares it
   * otherwise, e.g. a header change from {@code __u32} to {@code __u64} that the decoder missed.
   */
  public long offset(String field, CType readAs) {
    CType declared = fieldTypes().get(field);
    if (!readAs.equals(declared)) {
      throw new IllegalStateException(
          name + "." + field + " is " + declared + ", but it is read as " + readAs);
    }
    return offset(field);
  }

  private static StructLayout layoutOf(String name, List<Field> fields) {
    List<MemoryLayout> members = new ArrayList<>();
    long at = 0;
    long maxAlign = 1;
    for (Field f : fields) {
      MemoryLayout l = layoutOf(f.type()).withName(f.name());
      long align = l.byteAlignment();
      if (at % align != 0) {
        long pad = align - at % align;
        members.add(MemoryLayout.paddingLayout(pad));
        at += pad;
      }
      members.add(l);
      at += l.byteSize();
      maxAlign = Math.max(maxAlign, align);
    }
    if (at % maxAlign != 0) {
      members.add(MemoryLayout.paddingLayout(maxAlign - at % maxAlign));
    }
    return MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).withName(name);
  }

  private static MemoryLayout layoutOf(CType t) {
    return switch (t) {
      case CType.Int i ->
          switch (i.bytes()) {
            case 1 -> ValueLayout.JAVA_BYTE;
            case 2 -> ValueLayout.JAVA_SHORT;
            case 4 -> ValueLayout.JAVA_INT;
            default -> ValueLayout.JAVA_LONG;
          };
      case CType.Array a -> MemoryLayout.sequenceLayout(a.length(), layoutOf(a.element()));
      case CType.Other o -> throw new IllegalArgumentException("no Java layout for " + o);
    };
  }

  @Override
  public String toString() {
    return "struct " + name + " " + fieldTypes();
  }
}
