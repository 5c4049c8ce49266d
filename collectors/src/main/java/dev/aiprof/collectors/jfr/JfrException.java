package dev.aiprof.collectors.jfr;

/**
 * Why one JVM cannot be streamed: the message names the cause and, where there is one, the fix.
 * Failing one JVM never stops the collector.
 */
public final class JfrException extends Exception {
  public JfrException(String message) {
    super(message);
  }

  public JfrException(String message, Throwable cause) {
    super(message + ": " + reason(cause), cause);
  }

  /** The first non-blank message of a cause chain, else the exception's type. */
  static String reason(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        return c.getMessage();
      }
    }
    return t.getClass().getSimpleName();
  }
}
