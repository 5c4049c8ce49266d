package dev.aiprof.custom.bpftrace;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One user script: its name (the metric prefix, {@code bpftrace.<name>.<map>}), where it came from
 * (a file, or {@code bpftrace.inline}) and its text, with the maps it assigns. Immutable.
 */
public record Script(String name, String origin, String text, List<MapDecl> maps) {
  public Script {
    maps = List.copyOf(maps);
  }

  /**
   * The script, exporting every map it assigns except those whose name starts with {@code _}
   * ({@code @_start[tid] = nsecs}: the script's own scratch state, neither printed nor exported).
   */
  public static Script of(String name, String origin, String text) {
    return new Script(
        name,
        origin,
        text,
        ScriptMaps.of(text).stream().filter(m -> !m.name().startsWith("_")).toList());
  }

  /**
   * The text bpftrace runs: the script, then a probe that prints every map it assigns each {@code
   * interval} (bpftrace prints maps only on exit or {@code print()}), so the agent reads them while
   * the script runs.
   */
  public String withPrints(Duration interval) {
    if (maps.isEmpty()) {
      return text;
    }
    String prints =
        maps.stream().map(m -> "print(@" + m.name() + ");").collect(Collectors.joining(" "));
    return text
        + "\n// added by aiprof: print the maps for the agent each interval\ninterval:ms:"
        + Math.max(1, interval.toMillis())
        + " { "
        + prints
        + " }\n";
  }

  /** The declaration of map {@code name}, or null. */
  public MapDecl map(String name) {
    for (MapDecl m : maps) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** A script name from a file stem or key: lower case, [a-z0-9_], starting with a letter. */
  public static String nameOf(String stem) {
    String n = stem.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return n.isEmpty() || !Character.isLetter(n.charAt(0)) ? "s_" + n : n;
  }
}
