package dev.aiprof.api.settings;

import java.util.Map;

/**
 * Validated settings: a value for every key the user gave, each of its key's form; the default for
 * the rest. Immutable, thread-safe.
 */
public final class Settings {
  private final SettingsCatalog catalog;
  private final Map<Setting<?>, Object> values;

  Settings(SettingsCatalog catalog, Map<Setting<?>, Object> values) {
    this.catalog = catalog;
    this.values = Map.copyOf(values);
  }

  /** Settings with every key at its default (tests, and parts run without a catalog). */
  public static Settings defaults() {
    return SettingsCatalog.of(java.util.List.of()).validate(Map.of());
  }

  /**
   * The value of {@code setting}: the user's, or its default.
   *
   * @throws IllegalStateException when the catalog these were validated against does not declare
   *     {@code setting} (a part reads a key it never declared: its users could not set it)
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    if (!catalog.isEmpty() && !catalog.knows(setting)) {
      throw new IllegalStateException(
          "setting " + setting.key() + " is read but not declared in the agent's catalog");
    }
    Object v = values.get(setting);
    if (v == null && !values.containsKey(setting)) {
      return setting.defaultValue();
    }
    return (T) v;
  }

  /** Whether the user gave {@code setting} a value. */
  public boolean isSet(Setting<?> setting) {
    return values.containsKey(setting);
  }

  /** The catalog these were validated against. */
  public SettingsCatalog catalog() {
    return catalog;
  }
}
