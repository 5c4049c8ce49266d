package dev.aiprof.agent.config;

import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingsCatalog;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the agent checks itself of a config file's exporter keys before the SDK reads them: an
 * {@code aiprof.exporter.*} key must be one the exporters read (a misspelt one would be ignored),
 * an {@code otel.*} key must be a well-formed property name, and {@code *.headers} must be {@code
 * name=value} pairs (the SDK's own error would print the value). The SDK checks the rest of the
 * values when it starts ({@code aiprof config check} cannot without starting exporters). Stateless.
 */
final class ExportKeys {
  static final String PREFIX = "aiprof.exporter.";

  /** Every {@code aiprof.exporter.*} property the exporters read (exporters module). */
  private static final SettingsCatalog KNOWN =
      SettingsCatalog.of(
          List.of(
                  "span.queue-size",
                  "span.batch-size",
                  "span.delay",
                  "span.timeout",
                  "file.directory",
                  "file.max-file-size",
                  "file.max-total-size",
                  "metrics.histogram-max-scale")
              .stream()
              .map(k -> Setting.text(PREFIX + k, null, ""))
              .toList());

  private static final Pattern OTEL = Pattern.compile("otel\\.[a-z0-9_.-]+");
  private static final Pattern PAIRS = Pattern.compile("[^=,]+=[^,]*(,[^=,]+=[^,]*)*");

  private ExportKeys() {}

  /**
   * @return null when {@code key}'s entry is fine, else what is wrong and how to fix it
   */
  static String problem(String key, String value) {
    if (key.startsWith(PREFIX)) {
      if (KNOWN.all().stream().noneMatch(s -> s.key().equals(key))) {
        String near = KNOWN.nearest(key);
        return "unknown exporter setting '"
            + key
            + "'"
            + (near == null ? "" : ": did you mean '" + near + "'?");
      }
      return null;
    }
    if (!OTEL.matcher(key).matches()) {
      return "'" + key + "' is not an OpenTelemetry property name (otel.lower.case.words)";
    }
    if (key.endsWith(".headers") && !value.isBlank() && !PAIRS.matcher(value).matches()) {
      return key
          + " (secret, not shown) is not name=value pairs: write e.g. api-key=...,tenant=...";
    }
    return null;
  }
}
