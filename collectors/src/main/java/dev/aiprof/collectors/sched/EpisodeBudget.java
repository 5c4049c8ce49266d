package dev.aiprof.collectors.sched;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all timelines together may hold, in episodes ({@value #BYTES_PER_EPISODE} bytes each:
 * four longs, two ints and a byte in primitive arrays). Timelines take capacity before they grow
 * and give it back when they go. Thread-safe.
 */
final class EpisodeBudget {
  static final int BYTES_PER_EPISODE = 41;

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  EpisodeBudget(long bytes) {
    this.capacity = Math.max(1, bytes / BYTES_PER_EPISODE);
  }

  /** Takes room for {@code episodes} more; false (nothing taken) when it does not fit. */
  boolean take(int episodes) {
    while (true) {
      long u = used.get();
      if (u + episodes > capacity) {
        return false;
      }
      if (used.compareAndSet(u, u + episodes)) {
        return true;
      }
    }
  }

  void release(int episodes) {
    used.addAndGet(-episodes);
  }

  /** Episodes' room taken now. */
  long used() {
    return used.get();
  }

  long capacity() {
    return capacity;
  }
}
