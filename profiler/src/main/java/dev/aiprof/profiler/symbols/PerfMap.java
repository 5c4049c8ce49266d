package dev.aiprof.profiler.symbols;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * A JIT's perf map ({@code /tmp/perf-PID.map}, written by the JVM's {@code jcmd PID
 * Compiler.perfmap} or Python 3.12+ with {@code -X perf}): one line per compiled method, {@code
 * START SIZE NAME} with START and SIZE in hex (with or without {@code 0x}). Malformed lines are
 * skipped. At most {@value #MAX_ENTRIES} entries are read. Parsing is pure ({@link #parse}).
 * Immutable, thread-safe.
 */
public final class PerfMap {
  /** Entries read of one file at most (a large JVM writes tens of thousands). */
  public static final int MAX_ENTRIES = 1 << 20;

  private final SymbolTable table;

  private PerfMap(SymbolTable table) {
    this.table = table;
  }

  public static PerfMap parse(Reader in) throws IOException {
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
    long[] starts = new long[1024];
    long[] sizes = new long[1024];
    String[] names = new String[1024];
    int n = 0;
    String line;
    while ((line = r.readLine()) != null && n < MAX_ENTRIES) {
      int s1 = line.indexOf(' ');
      int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
      if (s2 < 0 || s2 + 1 >= line.length()) {
        continue;
      }
      long start;
      long size;
      try {
        start = hex(line, 0, s1);
        size = hex(line, s1 + 1, s2);
      } catch (NumberFormatException e) {
        continue;
      }
      if (size <= 0) {
        continue;
      }
      if (n == starts.length) {
        starts = Arrays.copyOf(starts, n * 2);
        sizes = Arrays.copyOf(sizes, n * 2);
        names = Arrays.copyOf(names, n * 2);
      }
      starts[n] = start;
      sizes[n] = size;
      names[n] = line.substring(s2 + 1).strip();
      n++;
    }
    return new PerfMap(SymbolTable.of(starts, sizes, names, n));
  }

  private static long hex(String s, int from, int to) {
    if (to - from > 2 && s.charAt(from) == '0' && (s.charAt(from + 1) | 0x20) == 'x') {
      from += 2;
    }
    return Long.parseUnsignedLong(s, from, to, 16);
  }

  public int size() {
    return table.size();
  }

  /** The method containing {@code ip}, or null. */
  public Frame resolve(long ip) {
    int i = table.find(ip);
    return i < 0 ? null : new Frame(table.name(i), "[jit]", ip - table.start(i), ip);
  }
}
