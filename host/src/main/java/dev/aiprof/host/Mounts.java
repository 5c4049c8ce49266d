package dev.aiprof.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of {@code /proc/PID/mounts} (fstab format): device, mount point, type, options. Spaces
 * and other characters in paths are octal escapes ({@code \040}) and are decoded. Immutable.
 */
public record Mounts(List<Mount> mounts) {
  /** One mount; {@code readOnly} from the first option ({@code ro} or {@code rw}). */
  public record Mount(String device, String mountPoint, String type, boolean readOnly) {
    public String mode() {
      return readOnly ? "ro" : "rw";
    }
  }

  /** Parses the text of a mounts file; lines with fewer than four fields are skipped. */
  public static Mounts parse(String text) {
    List<Mount> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.strip().split("[ \t]+");
      if (f.length < 4) {
        continue;
      }
      boolean ro = f[3].equals("ro") || f[3].startsWith("ro,");
      out.add(new Mount(unescape(f[0]), unescape(f[1]), f[2], ro));
    }
    return new Mounts(List.copyOf(out));
  }

  /** Decodes the kernel's {@code \ooo} escapes (space, tab, newline, backslash). */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && octal(s, i + 1)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean octal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
