package dev.aiprof.agent.identity;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for reconnecting to the API server: each {@link #next()} is a
 * random wait in [d/2, d], d doubling from {@code min} up to {@code max}; {@link #reset()} after a
 * success. The jitter keeps many agents from reconnecting in step after an API server restart.
 *
 * <p>Not thread-safe: one per reconnecting thread.
 */
final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private long current;

  Backoff(Duration min, Duration max) {
    this.minNanos = Math.max(1, min.toNanos());
    this.maxNanos = Math.max(minNanos, max.toNanos());
    this.current = minNanos;
  }

  Duration next() {
    long d = current;
    current = Math.min(maxNanos, current * 2);
    return Duration.ofNanos(d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1));
  }

  void reset() {
    current = minNanos;
  }
}
