package dev.aiprof.agent.cli;

import dev.aiprof.collectors.CollectorRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the keys of {@code aiprof run --set KEY=VALUE}: each starts with a registered collector's
 * name ({@code sched.}, {@code marker.}, {@code otlp.}, {@code jfr.}), {@code identity.} or {@code
 * correlation.}, so a misspelt prefix is an error rather than a setting silently ignored. The
 * values themselves are checked by their owners when the agent starts. Stateless.
 */
final class SettingKeys {
  private SettingKeys() {}

  /** The prefixes a key may start with (without the dot). */
  static Set<String> prefixes() {
    Set<String> p = new TreeSet<>(Set.of("identity", "correlation"));
    CollectorRegistry.standard().entries().forEach(e -> p.add(e.name()));
    return p;
  }

  /**
   * The settings with keys and values stripped.
   *
   * @throws UsageException naming the key and the accepted prefixes
   */
  static Map<String, String> check(Map<String, String> settings) {
    Set<String> prefixes = prefixes();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey().strip();
      int dot = key.indexOf('.');
      if (dot <= 0 || dot == key.length() - 1 || !prefixes.contains(key.substring(0, dot))) {
        throw new UsageException(
            "unknown setting '"
                + key
                + "' (--set): a key starts with one of "
                + prefixes
                + " and a dot, e.g. --set identity.source=kubelet");
      }
      out.put(key, e.getValue().strip());
    }
    return out;
  }
}
