package dev.aiprof.api.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every key the agent knows, gathered from the collectors' providers and the agent's own parts.
 * {@link #validate} is the one check of user settings (flags, {@code --set}, the config file):
 * every key must be known and every value of its key's form, or start-up stops. The tables in the
 * README and in {@code --help} are {@link #markdown()} and {@link #text()}. Immutable once built.
 */
public final class SettingsCatalog {
  private final Map<String, Setting<?>> byKey;

  private SettingsCatalog(Map<String, Setting<?>> byKey) {
    this.byKey = byKey;
  }

  /**
   * @throws IllegalArgumentException when two declarations share a key
   */
  public static SettingsCatalog of(Collection<? extends Setting<?>> settings) {
    Map<String, Setting<?>> m = new TreeMap<>();
    for (Setting<?> s : settings) {
      Setting<?> before = m.putIfAbsent(s.key(), s);
      if (before != null && before != s) {
        throw new IllegalArgumentException("setting " + s.key() + " is declared twice");
      }
    }
    return new SettingsCatalog(m);
  }

  public List<Setting<?>> all() {
    return List.copyOf(byKey.values());
  }

  /**
   * The validated settings.
   *
   * @throws SettingException on the first unknown key (naming the nearest known key) or bad value
   */
  public Settings validate(Map<String, String> raw) {
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
      String key = e.getKey().strip();
      Setting<?> s = byKey.get(key);
      if (s == null) {
        throw new SettingException(unknown(key), key, e.getValue());
      }
      values.put(s, s.parse(e.getValue()));
    }
    return new Settings(this, values);
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  boolean knows(Setting<?> s) {
    return byKey.get(s.key()) == s;
  }

  private String unknown(String key) {
    String nearest = nearest(key);
    return "unknown setting '"
        + key
        + "'"
        + (nearest == null ? "" : ": did you mean '" + nearest + "'?")
        + " (aiprof run --help lists every key)";
  }

  /** The known key closest to {@code key} by edit distance, if any is close enough. */
  public String nearest(String key) {
    return byKey.keySet().stream()
        .min(Comparator.comparingInt((String k) -> distance(k, key)).thenComparing(k -> k))
        .filter(k -> distance(k, key) <= Math.max(3, key.length() / 3))
        .orElse(null);
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The table of every key as Markdown: key, default, accepted form, description. */
  public String markdown() {
    StringBuilder b = new StringBuilder("| key | default | value | what |\n|---|---|---|---|\n");
    for (Setting<?> s : byKey.values()) {
      b.append("| `")
          .append(s.key())
          .append("` | ")
          .append(
              s.defaultText().isEmpty()
                  ? "(none)"
                  : "`" + s.defaultText().replace("|", "\\|") + "`")
          .append(" | ")
          .append(s.type().form().replace("|", "\\|"))
          .append(" | ")
          .append(s.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return b.toString();
  }

  /** The table of every key as plain text lines, for {@code --help}. */
  public List<String> text() {
    List<String> out = new ArrayList<>();
    for (Setting<?> s : byKey.values()) {
      String def = s.defaultText().isEmpty() ? "none" : s.defaultText();
      out.add(String.format("  %-32s %s (default %s)", s.key(), s.description(), def));
    }
    return out;
  }
}
