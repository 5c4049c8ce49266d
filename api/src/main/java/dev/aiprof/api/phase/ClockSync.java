package dev.aiprof.api.phase;

import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Converts between the wall clock (epoch ns, what OTLP spans and JFR carry) and CLOCK_MONOTONIC
 * (what BPF programs stamp). The offset is measured as the tightest of several bracketed readings
 * and re-measured on {@link #refresh()}, so a wall-clock step (NTP) is picked up; conversions use
 * the latest offset. Java's {@code System.nanoTime()} is CLOCK_MONOTONIC on Linux.
 *
 * <p>Thread-safe.
 */
public final class ClockSync {
  private final LongSupplier monotonic;
  private final Supplier<Instant> wall;
  private volatile long offsetNs;

  public ClockSync() {
    this(System::nanoTime, Instant::now);
  }

  public ClockSync(LongSupplier monotonic, Supplier<Instant> wall) {
    this.monotonic = monotonic;
    this.wall = wall;
    refresh();
  }

  /** Re-measures wall − monotonic: the reading with the smallest bracket wins. */
  public void refresh() {
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 5; i++) {
      long before = monotonic.getAsLong();
      Instant w = wall.get();
      long after = monotonic.getAsLong();
      if (after - before < best) {
        best = after - before;
        long wallNs = w.getEpochSecond() * 1_000_000_000L + w.getNano();
        offset = wallNs - (before + (after - before) / 2);
      }
    }
    offsetNs = offset;
  }

  public long toMonotonic(long epochNanos) {
    return epochNanos - offsetNs;
  }

  public long toEpochNanos(long monotonicNs) {
    return monotonicNs + offsetNs;
  }

  /** wall − monotonic in ns. */
  public long offsetNs() {
    return offsetNs;
  }
}
