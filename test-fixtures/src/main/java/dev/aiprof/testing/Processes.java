package dev.aiprof.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping child processes the way a service manager would. Stateless. */
public final class Processes {
  private Processes() {}

  /**
   * SIGTERM, then SIGKILL if it is still running after {@code grace}; waits up to 10 s more for the
   * kill. An interrupt kills it at once and stays set.
   */
  public static void stop(Process p, Duration grace) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}
