package dev.aiprof.agent.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads a Java properties config file (the form of {@code --config} before YAML, and of the
 * OpenTelemetry Java agent's configuration file): each key with the line it starts on. Stateless.
 */
final class PropertiesReader {
  private PropertiesReader() {}

  static Map<String, ConfigEntry> read(Path file, String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(
          file, 0, "not a Java properties file (" + e.getMessage() + "): write KEY=VALUE lines");
    }
    List<String> lines = text.lines().toList();
    Map<String, ConfigEntry> out = new LinkedHashMap<>();
    for (String key : new TreeSet<>(p.stringPropertyNames())) {
      out.put(
          key.strip(),
          new ConfigEntry(key.strip(), p.getProperty(key).strip(), lineOf(lines, key)));
    }
    return out;
  }

  private static int lineOf(List<String> lines, String key) {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).stripLeading();
      if (l.startsWith(key) && l.substring(key.length()).matches("\\s*[=:\\s].*|\\s*")) {
        return i + 1;
      }
    }
    return 0;
  }
}
