package dev.aiprof.agent.privilege;

import dev.aiprof.api.settings.Settings;
import dev.aiprof.collectors.jfr.JfrSettings;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the chosen collectors will use a privilege: every one that {@link Need} names, except
 * jfr when it is told to stream no JVM (its default: {@code jfr.select=none}, no {@code jfr.pids}),
 * which then attaches to nothing. Pure.
 */
public final class Privileged {
  private Privileged() {}

  public static Set<String> collectors(Set<String> chosen, Settings s) {
    Set<String> out = new TreeSet<>(chosen);
    if (!jfrStreams(s)) {
      out.remove("jfr");
    }
    return out;
  }

  private static boolean jfrStreams(Settings s) {
    try {
      return s.get(JfrSettings.SELECT).equals("all") || !s.get(JfrSettings.PIDS).isEmpty();
    } catch (IllegalStateException e) {
      return false; // no jfr collector in this catalog
    }
  }
}
