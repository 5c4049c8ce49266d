package dev.aiprof.agent.cli;

import dev.aiprof.agent.config.ConfigDocument;
import dev.aiprof.agent.config.ConfigException;
import dev.aiprof.agent.config.ConfigValidation;
import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validates what the user set (a config file's keys, then {@code --set} and the commands' own
 * values over them) against the agent's catalog: an unknown key or a bad value is a usage error
 * naming the key, the value, where it came from and what to write instead. Stateless.
 */
final class SettingsInput {
  private SettingsInput() {}

  /**
   * @param file the config file (its keys other than the exporters')
   * @param flags {@code --set} and the command's own values, which win over the file
   * @throws UsageException on the first bad key or value, naming the file and line for the file's
   */
  static Settings validate(
      SettingsCatalog catalog, ConfigDocument file, Map<String, String> flags) {
    try {
      return ConfigValidation.validate(catalog, file, flags);
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    } catch (SettingException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * @param file the config file's settings (empty without one)
   * @param fileName the config file, for the message (null without one)
   * @param flags {@code --set} and the command's own values, which win over the file
   * @throws UsageException on the first bad key or value
   */
  static Settings validate(
      SettingsCatalog catalog, Map<String, String> file, Path fileName, Map<String, String> flags) {
    try {
      catalog.validate(file);
    } catch (SettingException e) {
      throw new UsageException(
          e.getMessage()
              + ", in the config file "
              + fileName
              + " (its otel.* keys configure the exporters)");
    }
    Map<String, String> all = new LinkedHashMap<>(file);
    flags.forEach((k, v) -> all.put(k.strip(), v));
    try {
      return catalog.validate(all);
    } catch (SettingException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
