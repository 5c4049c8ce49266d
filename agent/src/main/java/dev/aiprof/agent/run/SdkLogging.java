package dev.aiprof.agent.run;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the OpenTelemetry SDK's export failures to one line each (what failed and the cause: "Make
 * sure your collector is running") instead of a stack trace, unless debug logging is on. The SDK
 * already throttles how often it logs them.
 */
public final class SdkLogging {
  private SdkLogging() {}

  /** Installs the filter on the root logger's handlers (idempotent). */
  public static void quiet() {
    Logger root = Logger.getLogger("");
    if (root.getLevel() != null && root.getLevel().intValue() <= Level.FINE.intValue()) {
      return;
    }
    for (Handler h : root.getHandlers()) {
      h.setFilter(SdkLogging::shorten);
    }
  }

  static boolean shorten(LogRecord r) {
    Throwable t = r.getThrown();
    if (t != null
        && r.getLoggerName() != null
        && r.getLoggerName().startsWith("io.opentelemetry")) {
      Throwable cause = t;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      r.setMessage(r.getMessage() + " (" + cause + ")");
      r.setThrown(null);
    }
    return true;
  }
}
