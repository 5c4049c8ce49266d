package dev.aiprof.collectors.jfr;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Pure parsers of the {@code /proc} files the JFR collector reads: {@code status} (namespace pid,
 * uid) and {@code stat} (start time). No I/O here; tests feed inline text.
 */
final class ProcFacts {
  private ProcFacts() {}

  /** The innermost pid of a {@code NSpid:} line (the pid inside the process's own namespace). */
  static OptionalInt nsPid(String status) {
    String v = field(status, "NSpid:");
    if (v == null || v.isBlank()) {
      return OptionalInt.empty();
    }
    String[] ids = v.strip().split("\\s+");
    return OptionalInt.of(Integer.parseInt(ids[ids.length - 1]));
  }

  /** The effective uid (second value of the {@code Uid:} line). */
  static OptionalInt effectiveUid(String status) {
    String v = field(status, "Uid:");
    if (v == null) {
      return OptionalInt.empty();
    }
    String[] ids = v.strip().split("\\s+");
    return ids.length < 2 ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(ids[1]));
  }

  /** Field 22 of {@code stat}: start time in clock ticks since boot (tells reused pids apart). */
  static OptionalLong startTime(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return OptionalLong.empty();
    }
    String[] f = stat.substring(close + 1).strip().split("\\s+");
    // f[0] is field 3 (state): field 22 is f[19].
    return f.length < 20 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(f[19]));
  }

  /** Whether a {@code maps} line maps HotSpot's (or any JVM's) libjvm.so. */
  static boolean mapsLibjvm(String mapsLine) {
    return mapsLine.endsWith("/libjvm.so");
  }

  private static String field(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key)) {
        return line.substring(key.length());
      }
    }
    return null;
  }
}
