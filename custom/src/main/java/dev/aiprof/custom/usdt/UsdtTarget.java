package dev.aiprof.custom.usdt;

import dev.aiprof.custom.bcc.UsdtProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code usdt.probes}: which probes to count, where. {@code
 * /path/to/binary:provider:name} counts the probe in every process that maps the binary (an
 * executable or a library); {@code pid=PID:provider:name} in process PID only, among the binaries
 * it maps. {@code *} as the provider or the name matches every one.
 *
 * @param binary the binary, or null for a pid target
 * @param pid the process, or 0 for a binary target (every process)
 */
public record UsdtTarget(Path binary, int pid, String provider, String name) {
  /** Parses a comma-separated list; throws IllegalArgumentException naming the key and the fix. */
  public static List<UsdtTarget> parseList(String key, String text) {
    List<UsdtTarget> out = new ArrayList<>();
    for (String entry : text.split(",")) {
      if (!entry.isBlank()) {
        out.add(parse(key, entry.strip()));
      }
    }
    return List.copyOf(out);
  }

  static UsdtTarget parse(String key, String entry) {
    int name = entry.lastIndexOf(':');
    int provider = name < 0 ? -1 : entry.lastIndexOf(':', name - 1);
    if (provider <= 0 || name == entry.length() - 1 || name == provider + 1) {
      throw invalid(key, entry, "write BINARY:provider:name or pid=PID:provider:name");
    }
    String where = entry.substring(0, provider);
    String p = entry.substring(provider + 1, name);
    String n = entry.substring(name + 1);
    if (where.startsWith("pid=")) {
      try {
        int pid = Integer.parseInt(where.substring(4));
        if (pid <= 0) {
          throw new NumberFormatException();
        }
        return new UsdtTarget(null, pid, p, n);
      } catch (NumberFormatException e) {
        throw invalid(key, entry, "pid= takes a process id, a whole number above 0");
      }
    }
    if (!where.startsWith("/")) {
      throw invalid(key, entry, "the binary must be an absolute path (or pid=PID)");
    }
    return new UsdtTarget(Path.of(where), 0, p, n);
  }

  private static IllegalArgumentException invalid(String key, String entry, String fix) {
    return new IllegalArgumentException("invalid " + key + " entry '" + entry + "': " + fix);
  }

  /** Whether {@code probe} is one this entry names. */
  boolean matches(UsdtProbe probe) {
    return (provider.equals("*") || provider.equals(probe.provider()))
        && (name.equals("*") || name.equals(probe.name()));
  }

  @Override
  public String toString() {
    return (binary != null ? binary.toString() : "pid=" + pid) + ":" + provider + ":" + name;
  }
}
