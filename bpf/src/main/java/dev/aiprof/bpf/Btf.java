package dev.aiprof.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only view of a BTF blob owned by libbpf (an object's, or the kernel's): struct layouts, enum
 * values and the variables of data sections. Used to set {@code const volatile} values by name and
 * to check the Java layouts of shared structs against the C header they come from.
 *
 * <p>Valid only while its owner is open.
 */
public final class Btf {
  // BTF_KIND_* values from linux/btf.h.
  static final int KIND_INT = 1;
  static final int KIND_PTR = 2;
  static final int KIND_ARRAY = 3;
  static final int KIND_STRUCT = 4;
  static final int KIND_UNION = 5;
  static final int KIND_ENUM = 6;
  static final int KIND_TYPEDEF = 8;
  static final int KIND_VOLATILE = 9;
  static final int KIND_CONST = 10;
  static final int KIND_RESTRICT = 11;
  static final int KIND_TYPE_TAG = 18;
  static final int KIND_VAR = 14;
  static final int KIND_DATASEC = 15;
  static final int KIND_ENUM64 = 19;
  private static final int TYPE_HEADER = 12;
  private static final int INT_SIGNED = 1;

  /** One member of a struct: name, byte offset, byte size. */
  public record Member(String name, long offset, long size) {}

  /** A struct's name, size and members in declaration order. */
  public record Struct(String name, long size, List<Member> members) {
    public Optional<Member> member(String memberName) {
      return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
    }
  }

  /** A variable in a data section (.rodata, .bss, .data). */
  public record Var(String name, long offset, long size) {}

  private final MemorySegment btf;

  Btf(MemorySegment btf) {
    this.btf = btf;
  }

  /** The layout of {@code struct name}, if the BTF has it. */
  public Optional<Struct> struct(String name) {
    return typeId(name, KIND_STRUCT).map(id -> readStruct(name, id));
  }

  /**
   * The C type of every member of {@code struct name}, in declaration order (typedefs, const and
   * volatile resolved; enums as their integer), or empty if the BTF has no such struct.
   */
  public Map<String, CType> fieldTypes(String name) {
    Map<String, CType> types = new LinkedHashMap<>();
    Optional<Integer> id = typeId(name, KIND_STRUCT);
    if (id.isEmpty()) {
      return types;
    }
    MemorySegment t = type(id.get());
    int info = t.get(ValueLayout.JAVA_INT, 4);
    for (int i = 0; i < vlen(info); i++) {
      long at = TYPE_HEADER + (long) i * 12;
      types.put(name(t.get(ValueLayout.JAVA_INT, at)), typeOf(t.get(ValueLayout.JAVA_INT, at + 4)));
    }
    return types;
  }

  /** The {@link CType} of BTF type {@code id}. */
  CType typeOf(int id) {
    MemorySegment t = type(id);
    int info = t.get(ValueLayout.JAVA_INT, 4);
    int sizeOrType = t.get(ValueLayout.JAVA_INT, 8);
    return switch (kind(info)) {
      case KIND_INT ->
          new CType.Int(
              sizeOrType, ((t.get(ValueLayout.JAVA_INT, TYPE_HEADER) >>> 24) & INT_SIGNED) != 0);
      case KIND_ENUM, KIND_ENUM64 -> new CType.Int(sizeOrType, (info >>> 31) != 0);
      case KIND_ARRAY ->
          new CType.Array(
              typeOf(t.get(ValueLayout.JAVA_INT, TYPE_HEADER)),
              t.get(ValueLayout.JAVA_INT, TYPE_HEADER + 8));
      case KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG ->
          typeOf(sizeOrType);
      case KIND_PTR -> new CType.Other("pointer", 8);
      default ->
          new CType.Other(
              "btf kind " + kind(info) + " " + name(t.get(ValueLayout.JAVA_INT, 0)),
              resolveSize(id));
    };
  }

  /** The constants of {@code enum name} in declaration order, empty if absent. */
  public Map<String, Long> enumValues(String name) {
    Map<String, Long> values = new LinkedHashMap<>();
    Optional<Integer> id = typeId(name, KIND_ENUM).or(() -> typeId(name, KIND_ENUM64));
    if (id.isEmpty()) {
      return values;
    }
    MemorySegment t = type(id.get());
    int info = t.get(ValueLayout.JAVA_INT, 4);
    boolean wide = kind(info) == KIND_ENUM64;
    int stride = wide ? 12 : 8;
    for (int i = 0; i < vlen(info); i++) {
      long at = TYPE_HEADER + (long) i * stride;
      String constant = name(t.get(ValueLayout.JAVA_INT, at));
      long value =
          wide
              ? (t.get(ValueLayout.JAVA_INT, at + 4) & 0xffffffffL)
                  | ((long) t.get(ValueLayout.JAVA_INT, at + 8) << 32)
              : t.get(ValueLayout.JAVA_INT, at + 4);
      values.put(constant, value);
    }
    return values;
  }

  /** The variables of a data section such as ".rodata", by name. */
  public Map<String, Var> sectionVars(String section) {
    Map<String, Var> vars = new LinkedHashMap<>();
    Optional<Integer> id = typeId(section, KIND_DATASEC);
    if (id.isEmpty()) {
      return vars;
    }
    MemorySegment t = type(id.get());
    int n = vlen(t.get(ValueLayout.JAVA_INT, 4));
    for (int i = 0; i < n; i++) {
      long at = TYPE_HEADER + (long) i * 12;
      int varId = t.get(ValueLayout.JAVA_INT, at);
      String name = name(type(varId).get(ValueLayout.JAVA_INT, 0));
      vars.put(
          name,
          new Var(
              name,
              t.get(ValueLayout.JAVA_INT, at + 4) & 0xffffffffL,
              t.get(ValueLayout.JAVA_INT, at + 8) & 0xffffffffL));
    }
    return vars;
  }

  private Struct readStruct(String name, int id) {
    MemorySegment t = type(id);
    int info = t.get(ValueLayout.JAVA_INT, 4);
    long size = t.get(ValueLayout.JAVA_INT, 8) & 0xffffffffL;
    boolean bitfields = (info >>> 31) != 0;
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < vlen(info); i++) {
      long at = TYPE_HEADER + (long) i * 12;
      String member = name(t.get(ValueLayout.JAVA_INT, at));
      int typeId = t.get(ValueLayout.JAVA_INT, at + 4);
      int bits = t.get(ValueLayout.JAVA_INT, at + 8);
      long bitOffset = bitfields ? bits & 0xffffff : bits & 0xffffffffL;
      members.add(new Member(member, bitOffset / 8, resolveSize(typeId)));
    }
    return new Struct(name, size, List.copyOf(members));
  }

  private Optional<Integer> typeId(String name, int kind) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      int id = (int) LibBpf.BTF_FIND.invokeExact(btf, arena.allocateFrom(name), kind);
      return id > 0 ? Optional.of(id) : Optional.empty();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private MemorySegment type(int id) {
    try {
      MemorySegment t = (MemorySegment) LibBpf.BTF_TYPE_BY_ID.invokeExact(btf, id);
      if (Native.isNull(t)) {
        throw new BpfException("btf type " + id + " not found", 0);
      }
      return t.reinterpret(TYPE_HEADER + 12L * 0xffff);
    } catch (Throwable e) {
      throw Native.rethrow(e);
    }
  }

  private String name(int offset) {
    try {
      return Native.string((MemorySegment) LibBpf.BTF_NAME_BY_OFFSET.invokeExact(btf, offset));
    } catch (Throwable e) {
      throw Native.rethrow(e);
    }
  }

  private long resolveSize(int typeId) {
    try {
      long size = (long) LibBpf.BTF_RESOLVE_SIZE.invokeExact(btf, typeId);
      if (size < 0) {
        throw new BpfException("resolve size of btf type " + typeId, (int) -size);
      }
      return size;
    } catch (Throwable e) {
      throw Native.rethrow(e);
    }
  }

  private static int vlen(int info) {
    return info & 0xffff;
  }

  private static int kind(int info) {
    return (info >>> 24) & 0x1f;
  }
}
