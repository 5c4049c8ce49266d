package dev.aiprof.agent.config;

import java.nio.file.Path;

/**
 * A config file that cannot be used: the message names the file, the line when known, the key and
 * the fix, and never a secret value ({@link SecretKeys}). The command line turns it into exit 2.
 */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(Path file, int line, String message) {
    super("config file " + file + (line > 0 ? " line " + line : "") + ": " + message);
  }
}
