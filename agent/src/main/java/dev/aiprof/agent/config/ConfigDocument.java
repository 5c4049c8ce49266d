package dev.aiprof.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One read of the agent's config file ({@code aiprof run --config FILE}): YAML whose keys are the
 * {@code --set} keys and the exporters' {@code otel.*} / {@code aiprof.exporter.*} properties, as
 * dotted keys or nested maps; a file named {@code *.properties} is read as Java properties, the
 * form before YAML. Immutable.
 *
 * @param file where it was read from, for messages
 * @param entries every key with its value and line, in file order
 */
public record ConfigDocument(Path file, Map<String, ConfigEntry> entries) {
  public ConfigDocument {
    entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  /** A document with no keys (no {@code --config}). */
  public static ConfigDocument empty() {
    return new ConfigDocument(null, Map.of());
  }

  /**
   * Reads {@code file}.
   *
   * @throws ConfigException when it cannot be read or is not well-formed
   */
  public static ConfigDocument read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(
          file, 0, "cannot read it: no such file (give the path of a YAML file)");
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ConfigException(
          file, 0, "cannot read it (" + e + "): give a readable YAML file (--config FILE)");
    }
    boolean properties = file.getFileName().toString().endsWith(".properties");
    return new ConfigDocument(
        file, properties ? PropertiesReader.read(file, text) : YamlReader.read(file, text));
  }

  /** The exporters' keys ({@code otel.*}, {@code aiprof.exporter.*}): the SDK reads them. */
  public Map<String, String> export() {
    return select(true);
  }

  /** Every other key: the agent's settings catalog validates them. */
  public Map<String, String> settings() {
    return select(false);
  }

  public Collection<ConfigEntry> all() {
    return entries.values();
  }

  /** The line of {@code key}, or 0. */
  public int line(String key) {
    ConfigEntry e = entries.get(key);
    return e == null ? 0 : e.line();
  }

  static boolean isExport(String key) {
    return key.startsWith("otel.") || key.startsWith(ExportKeys.PREFIX);
  }

  private Map<String, String> select(boolean export) {
    Map<String, String> out = new LinkedHashMap<>();
    entries.forEach(
        (k, e) -> {
          if (isExport(k) == export) {
            out.put(k, e.value());
          }
        });
    return out;
  }
}
