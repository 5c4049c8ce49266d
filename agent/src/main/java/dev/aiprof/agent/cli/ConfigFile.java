package dev.aiprof.agent.cli;

import dev.aiprof.agent.config.ConfigDocument;
import dev.aiprof.agent.config.ConfigException;
import java.nio.file.Path;

/**
 * {@code --config FILE} for the commands: the file read ({@link ConfigDocument}: YAML, or Java
 * properties for a {@code *.properties} file), a problem being a usage error. Environment
 * variables, system properties and flags win over the file. Stateless.
 */
final class ConfigFile {
  private ConfigFile() {}

  /**
   * @param file the file, or null for none
   * @throws UsageException when it cannot be read or parsed
   */
  static ConfigDocument read(Path file) {
    if (file == null) {
      return ConfigDocument.empty();
    }
    try {
      return ConfigDocument.read(file);
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
