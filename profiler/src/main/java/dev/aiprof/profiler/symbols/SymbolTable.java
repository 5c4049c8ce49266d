package dev.aiprof.profiler.symbols;

import java.util.Arrays;

/**
 * Sorted address ranges with names, for binary search: the kernel's symbols ({@link Kallsyms}) and
 * a JIT's perf map ({@link PerfMap}). A symbol without a size ends where the next one starts.
 * Immutable, thread-safe.
 */
final class SymbolTable {
  private final long[] starts;
  private final long[] ends;
  private final String[] names;
  private final String[] tags;

  SymbolTable(long[] starts, long[] ends, String[] names, String[] tags) {
    this.starts = starts;
    this.ends = ends;
    this.names = names;
    this.tags = tags;
  }

  /** Builds from unsorted entries; {@code sizes[i] <= 0} means "up to the next symbol". */
  static SymbolTable of(long[] starts, long[] sizes, String[] names, int n) {
    return of(starts, sizes, names, null, n);
  }

  /** As above, each entry with a tag (a kernel module's name) that travels with it. */
  static SymbolTable of(long[] starts, long[] sizes, String[] names, String[] tags, int n) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compareUnsigned(starts[a], starts[b]));
    long[] s = new long[n];
    long[] e = new long[n];
    String[] nm = new String[n];
    String[] tg = tags == null ? null : new String[n];
    for (int i = 0; i < n; i++) {
      s[i] = starts[order[i]];
      nm[i] = names[order[i]];
      if (tg != null) {
        tg[i] = tags[order[i]];
      }
      long size = sizes[order[i]];
      e[i] = size > 0 ? s[i] + size : -1; // fixed below
    }
    for (int i = 0; i < n; i++) {
      if (e[i] == -1) {
        e[i] = i + 1 < n ? s[i + 1] : s[i] + 4096;
      }
    }
    return new SymbolTable(s, e, nm, tg);
  }

  int size() {
    return names.length;
  }

  /** The index of the symbol containing {@code address}, or -1. */
  int find(long address) {
    int lo = 0;
    int hi = starts.length - 1;
    int best = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(starts[mid], address) <= 0) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (best < 0 || Long.compareUnsigned(address, ends[best]) >= 0) {
      return -1;
    }
    return best;
  }

  String name(int i) {
    return names[i];
  }

  /** The entry's tag, or null. */
  String tag(int i) {
    return tags == null ? null : tags[i];
  }

  long start(int i) {
    return starts[i];
  }
}
