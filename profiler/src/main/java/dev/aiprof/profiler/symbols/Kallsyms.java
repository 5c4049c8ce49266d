package dev.aiprof.profiler.symbols;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The kernel's symbols from {@code /proc/kallsyms} (text symbols only: types t, T, w, W), resolving
 * a kernel instruction pointer to {@code function} in module {@code [kernel]} (or {@code [name]}
 * for a loadable module). Where the kernel hides addresses ({@code kptr_restrict}: every address 0)
 * nothing resolves and frames stay addresses. Parsing is pure ({@link #parse}). Immutable,
 * thread-safe.
 */
public final class Kallsyms {
  private final SymbolTable table;

  private Kallsyms(SymbolTable table) {
    this.table = table;
  }

  /** Reads {@code file} (the host's /proc/kallsyms); an unreadable file gives an empty table. */
  public static Kallsyms read(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      return parse(r);
    } catch (IOException e) {
      return new Kallsyms(SymbolTable.of(new long[0], new long[0], new String[0], 0));
    }
  }

  /** Parses kallsyms lines: {@code ADDRESS TYPE NAME [\[MODULE\]]}. */
  public static Kallsyms parse(Reader in) throws IOException {
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
    long[] starts = new long[1 << 16];
    String[] names = new String[1 << 16];
    String[] mods = new String[1 << 16];
    int n = 0;
    String line;
    while ((line = r.readLine()) != null) {
      int s1 = line.indexOf(' ');
      int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
      if (s2 < 0 || s2 != s1 + 2) {
        continue;
      }
      char type = line.charAt(s1 + 1);
      if (type != 't' && type != 'T' && type != 'w' && type != 'W') {
        continue;
      }
      long addr = Long.parseUnsignedLong(line, 0, s1, 16);
      if (addr == 0) {
        continue;
      }
      int tab = line.indexOf('\t', s2 + 1);
      if (n == starts.length) {
        starts = Arrays.copyOf(starts, n * 2);
        names = Arrays.copyOf(names, n * 2);
        mods = Arrays.copyOf(mods, n * 2);
      }
      starts[n] = addr;
      names[n] = tab < 0 ? line.substring(s2 + 1) : line.substring(s2 + 1, tab);
      mods[n] = tab < 0 ? null : line.substring(tab + 1).strip();
      n++;
    }
    return new Kallsyms(SymbolTable.of(starts, new long[n], names, mods, n));
  }

  /** How many text symbols were read. */
  public int size() {
    return table.size();
  }

  public Frame resolve(long ip) {
    int i = table.find(ip);
    if (i < 0) {
      return new Frame(null, "[kernel]", ip, ip);
    }
    String module = table.tag(i) != null ? table.tag(i) : "[kernel]";
    return new Frame(table.name(i), module, ip - table.start(i), ip);
  }
}
