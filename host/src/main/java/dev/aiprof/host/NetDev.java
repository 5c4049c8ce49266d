package dev.aiprof.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The interface lines of {@code /proc/net/dev}: per network interface of the reading process's
 * network namespace, cumulative since the interface appeared. Immutable.
 */
public record NetDev(List<Interface> interfaces) {
  /** One interface's receive and transmit counters. */
  public record Interface(
      String name,
      long rxBytes,
      long rxPackets,
      long rxErrors,
      long rxDropped,
      long txBytes,
      long txPackets,
      long txErrors,
      long txDropped) {}

  /**
   * Parses the text of {@code /proc/net/dev}; the two header lines have no colon and are skipped.
   */
  public static NetDev parse(String text) {
    List<Interface> out = new ArrayList<>();
    int at = 0;
    int n = text.length();
    while (at < n) {
      int end = text.indexOf('\n', at);
      if (end < 0) {
        end = n;
      }
      int colon = text.indexOf(':', at);
      if (colon > 0 && colon < end) {
        Interface i = line(text, at, colon, end);
        if (i != null) {
          out.add(i);
        }
      }
      at = end + 1;
    }
    return new NetDev(List.copyOf(out));
  }

  private static Interface line(String text, int from, int colon, int end) {
    String name = text.substring(from, colon).strip();
    if (name.isEmpty() || name.contains("|")) {
      return null;
    }
    Fields f = new Fields(text, colon + 1, end);
    long[] v = new long[16];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.next();
      if (v[i] < 0) {
        return null;
      }
    }
    return new Interface(name, v[0], v[1], v[2], v[3], v[8], v[9], v[10], v[11]);
  }
}
