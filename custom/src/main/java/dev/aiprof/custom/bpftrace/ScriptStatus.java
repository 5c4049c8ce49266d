package dev.aiprof.custom.bpftrace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A script's state as the collector last saw it, also written as {@code NAME.state} under {@code
 * bpftrace.state-dir} ({@link #toStateFile}, {@link #parse}: key=value lines, the error with its
 * newlines escaped).
 */
public record ScriptStatus(
    String name,
    String origin,
    ScriptState state,
    int pid,
    long starts,
    long failures,
    String lastError) {
  public String toStateFile() {
    return "name="
        + name
        + "\norigin="
        + origin
        + "\nstate="
        + state.label()
        + "\npid="
        + pid
        + "\nstarts="
        + starts
        + "\nfailures="
        + failures
        + "\nerror="
        + lastError.replace("\\", "\\\\").replace("\n", "\\n")
        + "\n";
  }

  /** Reads a state file's text (pure). */
  public static ScriptStatus parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new ScriptStatus(
        m.getOrDefault("name", ""),
        m.getOrDefault("origin", ""),
        ScriptState.valueOf(m.getOrDefault("state", "stopped").toUpperCase(java.util.Locale.ROOT)),
        Integer.parseInt(m.getOrDefault("pid", "0")),
        Long.parseLong(m.getOrDefault("starts", "0")),
        Long.parseLong(m.getOrDefault("failures", "0")),
        unescape(m.getOrDefault("error", "")));
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(n == 'n' ? '\n' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
