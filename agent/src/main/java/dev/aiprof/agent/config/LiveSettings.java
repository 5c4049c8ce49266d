package dev.aiprof.agent.config;

import dev.aiprof.api.settings.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The settings a SIGHUP reload applies to the running agent, and how: the log level, the shutdown
 * deadline and the readiness window. Every other key (collectors' intervals and thresholds, phase
 * sources, exporters, identity, listen addresses) is read once when its part starts: a reload
 * reports its change and keeps the running value until a restart. Thread-safe.
 */
public final class LiveSettings {
  /** The keys a reload applies. */
  public static final Set<String> KEYS =
      Set.of(
          RunSettings.LOG_LEVEL.key(),
          RunSettings.SHUTDOWN_TIMEOUT.key(),
          RunSettings.READY_WINDOW.key());

  private final Readiness readiness;
  private volatile Duration shutdownTimeout;

  /**
   * @param readiness whose window a reload sets, or null
   */
  public LiveSettings(Settings start, Readiness readiness) {
    this.readiness = readiness;
    this.shutdownTimeout = start.get(RunSettings.SHUTDOWN_TIMEOUT);
    if (start.isSet(RunSettings.LOG_LEVEL)) {
      logLevel(start.get(RunSettings.LOG_LEVEL));
    }
  }

  public static boolean isLive(String key) {
    return KEYS.contains(key);
  }

  /** Applies every live key of {@code s}. */
  public void apply(Settings s) {
    shutdownTimeout = s.get(RunSettings.SHUTDOWN_TIMEOUT);
    logLevel(s.get(RunSettings.LOG_LEVEL));
    if (readiness != null) {
      readiness.window(s.get(RunSettings.READY_WINDOW));
    }
  }

  /** How long SIGTERM waits for the flush, now. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  static void logLevel(String name) {
    Level level =
        switch (name.toLowerCase(Locale.ROOT)) {
          case "error" -> Level.SEVERE;
          case "info" -> Level.INFO;
          case "debug" -> Level.FINE;
          default -> Level.WARNING;
        };
    Logger root = Logger.getLogger("");
    root.setLevel(level);
    for (var h : root.getHandlers()) {
      h.setLevel(level);
    }
  }
}
