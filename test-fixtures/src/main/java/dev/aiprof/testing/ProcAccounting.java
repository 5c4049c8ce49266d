package dev.aiprof.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the kernel's per-process I/O and fault accounting; pure functions. */
public final class ProcAccounting {
  private ProcAccounting() {}

  /** {@code /proc/PID/io}: "name: value" lines. */
  public static Map<String, Long> io(String text) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.put(
            line.substring(0, colon).strip(), Long.parseLong(line.substring(colon + 1).strip()));
      }
    }
    return out;
  }

  /** {@code majflt} (field 12) of {@code /proc/PID/stat}; the name may hold spaces. */
  public static long majorFaults(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
    return Long.parseLong(f[9]); // fields from 3 (state) on: majflt is the 12th
  }
}
