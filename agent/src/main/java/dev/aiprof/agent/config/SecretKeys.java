package dev.aiprof.agent.config;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Which configuration keys hold secrets ({@code otel.exporter.otlp.headers} and its per-signal
 * forms carry API keys and bearer tokens; anything named password, token or secret): their values
 * are never printed, in errors, on reload or in {@code config check}. Stateless.
 */
public final class SecretKeys {
  private static final Pattern SECRET = Pattern.compile(".*(headers|password|secret|token)$");

  private SecretKeys() {}

  /** Whether {@code key}'s value must not be shown. */
  public static boolean isSecret(String key) {
    return SECRET.matcher(key).matches();
  }

  /** {@code value}, or a placeholder when {@code key} is secret. */
  public static String shown(String key, String value) {
    return isSecret(key) ? "(secret, not shown)" : "'" + value + "'";
  }

  /** {@code message} with every secret value of {@code entries} replaced by a placeholder. */
  public static String redact(String message, Collection<ConfigEntry> entries) {
    String out = message;
    for (ConfigEntry e : entries) {
      if (isSecret(e.key()) && !e.value().isEmpty()) {
        out = out.replace(e.value(), "(secret)");
      }
    }
    return out;
  }
}
