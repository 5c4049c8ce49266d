package dev.aiprof.agent.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The agent's configuration file ({@code aiprof run --config FILE}): Java properties, as the
 * OpenTelemetry Java agent's configuration file, with the SDK's {@code otel.*} keys (e.g. {@code
 * otel.exporter.otlp.endpoint}, {@code otel.exporter.otlp.headers}) and the keys of {@code --set}
 * ({@code identity.source}, {@code marker.libraries}...). Environment variables, system properties
 * and flags win over it. Values are never printed: headers may hold credentials. Stateless.
 */
final class ConfigFile {
  /** The file's exporter ({@code otel.*}) and collector/identity settings. */
  record Settings(Map<String, String> export, Map<String, String> collectors) {}

  private ConfigFile() {}

  /**
   * The keys other than {@code otel.*} are validated with every other setting (the agent's
   * catalog); the SDK validates the {@code otel.*} ones.
   *
   * @throws UsageException when the file cannot be read or parsed
   */
  static Settings read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          "cannot read the config file "
              + file
              + " (--config): "
              + e.getMessage()
              + "; give a readable Java properties file (KEY=VALUE lines)");
    }
    Map<String, String> export = new TreeMap<>();
    Map<String, String> collectors = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      String value = p.getProperty(key).strip();
      (key.startsWith("otel.") ? export : collectors).put(key.strip(), value);
    }
    return new Settings(export, collectors);
  }
}
