package dev.aiprof.bpf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The Java mirror of one enum of a probe's shared header: every enumerator the Java side knows, by
 * its C name, with its value. The layout tests compare it with the compiled object's BTF both ways
 * (a constant missing on either side fails), flags included.
 *
 * @param name the C enum's tag, e.g. {@code sched_counter}
 * @param values C enumerator name → value
 */
public record AbiEnum(String name, Map<String, Long> values) {
  public AbiEnum {
    values = Map.copyOf(values);
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Collects enumerators in any order. */
  public static final class Builder {
    private final String name;
    private final Map<String, Long> values = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder constant(String enumerator, long value) {
      if (values.putIfAbsent(enumerator, value) != null) {
        throw new IllegalArgumentException(name + "." + enumerator + " declared twice");
      }
      return this;
    }

    /** One enumerator per Java enum constant: {@code prefix + constant.name()}, its value. */
    public <E extends Enum<E>> Builder constants(
        String prefix, E[] constants, ToLongFunction<E> value) {
      for (E e : constants) {
        constant(prefix + e.name(), value.applyAsLong(e));
      }
      return this;
    }

    public AbiEnum build() {
      return new AbiEnum(name, values);
    }
  }
}
