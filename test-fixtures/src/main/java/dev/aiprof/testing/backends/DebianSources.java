package dev.aiprof.testing.backends;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the host's own apt sources (deb822 {@code .sources} text) for another Debian release, so
 * a package of that release can be downloaded from the same mirror: in each stanza, suite {@code
 * CODENAME} becomes {@code TARGET} and {@code CODENAME-security} becomes {@code TARGET-security};
 * {@code -updates}, {@code -backports} and other suites are dropped, as are stanzas left with no
 * suite. Mirrors, components and keys stay as the host has them. Pure functions.
 */
final class DebianSources {
  private DebianSources() {}

  static String rewrite(String deb822, String codename, String target) {
    List<String> out = new ArrayList<>();
    for (String stanza : deb822.split("\\n\\s*\\n")) {
      String s = rewriteStanza(stanza, codename, target);
      if (s != null) {
        out.add(s);
      }
    }
    return out.isEmpty() ? "" : String.join("\n\n", out) + "\n";
  }

  /** The stanza with its suites moved to {@code target}, or null when none of them maps. */
  private static String rewriteStanza(String stanza, String codename, String target) {
    List<String> lines = new ArrayList<>();
    boolean kept = false;
    for (String line : stanza.strip().split("\\n")) {
      if (!line.regionMatches(true, 0, "Suites:", 0, 7)) {
        lines.add(line);
        continue;
      }
      List<String> suites = new ArrayList<>();
      for (String suite : line.substring(7).strip().split("\\s+")) {
        if (suite.equals(codename)) {
          suites.add(target);
        } else if (suite.equals(codename + "-security")) {
          suites.add(target + "-security");
        }
      }
      if (suites.isEmpty()) {
        return null;
      }
      kept = true;
      lines.add("Suites: " + String.join(" ", suites));
    }
    return kept ? String.join("\n", lines) : null;
  }

  /** {@code VERSION_CODENAME} from /etc/os-release text, or null. */
  static String codename(String osRelease) {
    for (String line : osRelease.split("\\n")) {
      if (line.startsWith("VERSION_CODENAME=")) {
        String v = line.substring(17).strip().replace("\"", "");
        return v.isEmpty() ? null : v;
      }
    }
    return null;
  }
}
