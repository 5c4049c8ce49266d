package dev.aiprof.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML config file into dotted keys: nested maps are joined with dots ({@code otlp: {port:
 * 4318}} is {@code otlp.port}), a list of scalars is its items joined with commas, every scalar is
 * kept as the text written. A key given twice (also once nested and once dotted), a key without a
 * value, a list of maps or a document that is not a map is an error naming the line. Parse errors
 * keep the parser's reason and position but never the line's text (it may hold a secret).
 * Stateless.
 */
final class YamlReader {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  private YamlReader() {}

  static Map<String, ConfigEntry> read(Path file, String text) {
    Map<String, ConfigEntry> out = new LinkedHashMap<>();
    try (JsonParser p = YAML.createParser(text)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken first = p.nextToken();
      if (first == null) {
        return out;
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(
            file,
            line(p),
            "the file must be a map of settings, e.g. 'sched:' then '  min-event: 1ms'");
      }
      object(file, p, "", out);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String reason = e.getOriginalMessage().lines().findFirst().orElse("").strip();
      throw new ConfigException(
          file,
          at == null ? 0 : at.getLineNr(),
          "not valid YAML (" + reason + "): write KEY: VALUE lines, nested maps indented");
    } catch (IOException e) {
      throw new ConfigException(file, 0, "cannot read it: " + e.getMessage());
    }
    return out;
  }

  private static void object(Path file, JsonParser p, String prefix, Map<String, ConfigEntry> out)
      throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
      int line = line(p);
      JsonToken v = p.nextToken();
      switch (v) {
        case START_OBJECT -> object(file, p, key, out);
        case START_ARRAY -> put(file, out, new ConfigEntry(key, list(file, p, key), line));
        default -> {
          if (v == JsonToken.VALUE_NULL || p.getText().isBlank()) {
            throw new ConfigException(
                file, line, key + " has no value: give one, or remove the key for its default");
          }
          put(file, out, new ConfigEntry(key, p.getText(), line));
        }
      }
    }
  }

  private static String list(Path file, JsonParser p, String key) throws IOException {
    List<String> items = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY || t == JsonToken.VALUE_NULL) {
        throw new ConfigException(
            file, line(p), key + " is a list of values: write plain items (- /opt/lib.so)");
      }
      items.add(p.getText());
    }
    return String.join(",", items);
  }

  private static void put(Path file, Map<String, ConfigEntry> out, ConfigEntry e) {
    ConfigEntry before = out.putIfAbsent(e.key(), e);
    if (before != null) {
      throw new ConfigException(
          file,
          e.line(),
          e.key() + " is given twice (also on line " + before.line() + "): keep one");
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }
}
