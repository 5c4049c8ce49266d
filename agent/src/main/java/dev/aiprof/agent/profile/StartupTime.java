package dev.aiprof.agent.profile;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * The "probes attached" line: how long after the process started (the kernel's start time) the
 * probes were attached. {@code bench/startup.sh} waits for it. Stateless.
 */
final class StartupTime {
  private StartupTime() {}

  static void probesAttached(PrintStream err) {
    err.println("aiprof: probes attached" + since(ProcessHandle.current().info().startInstant()));
  }

  /** " 0.64s after start", or nothing when the start time is unknown. */
  static String since(java.util.Optional<Instant> start) {
    return start
        .map(s -> Duration.between(s, Instant.now()).toMillis())
        .filter(ms -> ms >= 0)
        .map(ms -> String.format(java.util.Locale.ROOT, " %.2fs after start", ms / 1000.0))
        .orElse("");
  }
}
