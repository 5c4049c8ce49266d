package dev.aiprof.io.block;

import dev.aiprof.bpf.blockio.InflightRequest;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The followed requests in flight, read from the kernel when a phase needs a look after its end: a
 * request of a phase's thread that is still in flight sends no event yet, but its wait inside the
 * phase is known once the phase is over. Reads come at most every {@code minIntervalNs}.
 *
 * <p>Thread-safety: called on the engine's thread only.
 */
final class InflightView {
  /**
   * One read of the in-flight map: every followed request in flight from {@code startedNs} to
   * {@code finishedNs} (CLOCK_MONOTONIC) is in {@code requests}; one that completed in that window
   * may be missing, and its event was sent before {@code finishedNs}.
   */
  record Snapshot(long startedNs, long finishedNs, List<InflightRequest> requests) {}

  private final Supplier<List<InflightRequest>> read;
  private final LongSupplier clock;
  private final long minIntervalNs;
  private Snapshot last;

  InflightView(Supplier<List<InflightRequest>> read, LongSupplier clock, long minIntervalNs) {
    this.read = read;
    this.clock = clock;
    this.minIntervalNs = minIntervalNs;
  }

  /** A snapshot begun after {@code ns}, read now if the last is older and the interval allows. */
  Snapshot after(long ns) {
    if (last != null && last.startedNs() > ns) {
      return last;
    }
    long now = clock.getAsLong();
    if (now <= ns || (last != null && now - last.startedNs() < minIntervalNs)) {
      return null;
    }
    List<InflightRequest> r = read.get();
    last = new Snapshot(now, clock.getAsLong(), List.copyOf(r));
    return last;
  }

  /** The latest snapshot begun after {@code ns}, without reading; null if there is none. */
  Snapshot latestAfter(long ns) {
    return last != null && last.startedNs() > ns ? last : null;
  }
}
