package dev.aiprof.exporters;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of messages. Settings whose key names a header, token, password, secret,
 * credential or API key are secret: a message about one names the key and the fix, never the value.
 * {@link #checkHeaders} validates the OTLP header settings before the SDK does (the SDK's own
 * message prints the value); {@link #redact} is the net under everything else that reaches a user.
 * Pure and thread-safe.
 */
public final class Secrets {
  /** The OTLP exporters' header settings, in the SDK's property form. */
  static final List<String> HEADER_KEYS =
      List.of(
          "otel.exporter.otlp.headers",
          "otel.exporter.otlp.traces.headers",
          "otel.exporter.otlp.metrics.headers",
          "otel.exporter.otlp.logs.headers");

  private static final String SECRET_WORDS =
      "headers|token|password|passwd|secret|credential|api[-_.]?key|authorization";
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(" + SECRET_WORDS + ").*");

  /** A secret key followed by = or : and a value, to the end of the line. */
  private static final Pattern KEY_VALUE =
      Pattern.compile("(?i)([\\w.\\-]*(?:" + SECRET_WORDS + ")[\\w.\\-]*)(\\s*[=:]\\s*)[^\\n]+");

  private Secrets() {}

  /** Whether a setting's value must never be printed. */
  public static boolean isSecret(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /** {@code message} with the value after every secret key replaced by {@code <redacted>}. */
  public static String redact(String message) {
    if (message == null) {
      return null;
    }
    return KEY_VALUE.matcher(message).replaceAll("$1$2<redacted>");
  }

  /**
   * Checks that every OTLP header setting is a list of {@code key=value} pairs.
   *
   * @throws ConfigurationException naming the setting and its environment variable, not the value
   */
  static void checkHeaders(ConfigProperties c) {
    for (String key : HEADER_KEYS) {
      try {
        c.getMap(key);
      } catch (ConfigurationException e) {
        throw new ConfigurationException(
            "invalid "
                + key
                + " ("
                + key.toUpperCase().replace('.', '_')
                + "; value not shown: it may hold a secret): use comma-separated key=value pairs,"
                + " e.g. key1=value1,key2=value2 (values URL-encoded)");
      }
    }
  }

  /**
   * A configuration error with secrets removed from its message, and no cause to print but a bare
   * {@link java.net.BindException} when there was one (for the caller's "port in use" advice).
   */
  static ConfigurationException redacted(ConfigurationException e) {
    StringBuilder b = new StringBuilder();
    java.net.BindException bind = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException x && bind == null) {
        bind = new java.net.BindException(redact(x.getMessage()));
      }
      String m = t.getMessage();
      if (m != null && !m.equals("Unexpected configuration error") && b.indexOf(m) < 0) {
        b.append(b.isEmpty() ? "" : ": ").append(m);
      }
    }
    return new ConfigurationException(redact(b.isEmpty() ? e.toString() : b.toString()), bind);
  }
}
