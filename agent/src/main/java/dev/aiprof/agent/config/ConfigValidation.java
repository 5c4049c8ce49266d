package dev.aiprof.agent.config;

import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one check of a config file, at start-up, by {@code aiprof config check} and on reload: every
 * key known (the agent's catalog, or an exporter key), every value of its key's form; the first
 * problem is a {@link ConfigException} naming the file, the line, the key and the fix, never a
 * secret value. Flags ({@code --set} and the commands' own values) win over the file and are
 * checked after it. Stateless.
 */
public final class ConfigValidation {
  private ConfigValidation() {}

  /**
   * @throws ConfigException on the file's first bad key or value
   * @throws SettingException on a bad flag
   */
  public static Settings validate(
      SettingsCatalog catalog, ConfigDocument file, Map<String, String> flags) {
    Settings fromFile = file(catalog, file);
    if (flags.isEmpty()) {
      return fromFile;
    }
    Map<String, String> all = new LinkedHashMap<>(file.settings());
    flags.forEach((k, v) -> all.put(k.strip(), v));
    return catalog.validate(all);
  }

  /** The file's own settings, checked alone (so an error names the file and its line). */
  public static Settings file(SettingsCatalog catalog, ConfigDocument file) {
    for (ConfigEntry e : file.all()) {
      if (ConfigDocument.isExport(e.key())) {
        String problem = ExportKeys.problem(e.key(), e.value());
        if (problem != null) {
          throw new ConfigException(file.file(), e.line(), problem);
        }
      }
    }
    try {
      return catalog.validate(file.settings());
    } catch (SettingException e) {
      String message =
          SecretKeys.isSecret(e.key())
              ? "invalid " + e.key() + " (secret, not shown): see aiprof run --help for its form"
              : SecretKeys.redact(e.getMessage(), file.all());
      throw new ConfigException(file.file(), file.line(e.key()), message + hint(e.getMessage()));
    }
  }

  private static String hint(String message) {
    return message.startsWith("unknown setting")
        ? "; exporter keys are otel.* (OpenTelemetry SDK properties) and aiprof.exporter.*"
        : "";
  }
}
