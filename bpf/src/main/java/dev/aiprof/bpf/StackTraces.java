package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads of a BPF_MAP_TYPE_STACK_TRACE map, behind {@link BpfMap#stack}: the key is the id {@code
 * bpf_get_stackid} returned, the value {@code value_size / 8} instruction pointers, innermost
 * first, the unused slots zero.
 */
final class StackTraces {
  static final int TYPE = 7;
  private static final long[] NONE = new long[0];

  private StackTraces() {}

  static long[] read(BpfMap map, int stackId) {
    check(map);
    if (stackId < 0) {
      return NONE;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment value = a.allocate(map.valueSize(), 8);
      if (!map.lookup(a.allocateFrom(JAVA_INT, stackId), value)) {
        return NONE;
      }
      return value.asSlice(0, depth(value) * 8L).toArray(JAVA_LONG);
    }
  }

  static int read(BpfMap map, int stackId, long[] ips) {
    check(map);
    if (stackId < 0) {
      return 0;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment value = a.allocate(map.valueSize(), 8);
      if (!map.lookup(a.allocateFrom(JAVA_INT, stackId), value)) {
        return 0;
      }
      int n = Math.min(depth(value), ips.length);
      MemorySegment.copy(value, JAVA_LONG, 0, ips, 0, n);
      return n;
    }
  }

  static boolean delete(BpfMap map, int stackId) {
    check(map);
    if (stackId < 0) {
      return false;
    }
    try (Arena a = Arena.ofConfined()) {
      return map.delete(a.allocateFrom(JAVA_INT, stackId));
    }
  }

  /** Frames before the first zero slot. */
  private static int depth(MemorySegment value) {
    int slots = (int) (value.byteSize() / 8);
    int n = 0;
    while (n < slots && value.getAtIndex(JAVA_LONG, n) != 0) {
      n++;
    }
    return n;
  }

  private static void check(BpfMap map) {
    if (map.type() != TYPE) {
      throw new IllegalArgumentException("map " + map.name() + " is not a stack trace map");
    }
  }
}
