package dev.aiprof.agent.identity;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a watch stream the server should have ended by now. A connection that died without a FIN
 * would otherwise block the read forever: the JDK HTTP client has no read timeout, and closing the
 * body stream from another thread makes the blocked read throw.
 *
 * <p>One per stream; {@link #cancel()} when the stream ends normally.
 */
final class Watchdog {
  private final CompletableFuture<Void> timer;
  private volatile boolean fired;

  Watchdog(InputStream stream, Duration limit) {
    timer =
        CompletableFuture.runAsync(
            () -> {
              fired = true;
              try {
                stream.close();
              } catch (IOException e) {
                // closing is all we wanted
              }
            },
            CompletableFuture.delayedExecutor(limit.toNanos(), TimeUnit.NANOSECONDS));
  }

  /** Whether the limit passed and the stream was closed. */
  boolean fired() {
    return fired;
  }

  void cancel() {
    timer.cancel(false);
  }
}
