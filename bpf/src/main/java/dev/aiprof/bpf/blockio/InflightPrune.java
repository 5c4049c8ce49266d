package dev.aiprof.bpf.blockio;

import java.util.List;

/**
 * Deletes in-flight entries whose end the probe never saw, without deleting a live request's.
 *
 * <p>The in-flight map is keyed by the kernel's {@code struct request} address, and the block layer
 * hands a request (its tag) to the next I/O as soon as the last one completes. Between the scan
 * that finds an entry stale and its delete, the kernel can finish that request and start a new one
 * at the same address; a delete by key then deletes the new request's entry, whose completion finds
 * nothing (counted unmatched) and which is lost from the series and the events. So every candidate
 * is taken out with lookup-and-delete, which returns what it deleted: a stale entry is counted,
 * anything else (a request that started since the scan) is put back, unless the kernel has already
 * written a newer entry under the key. One completing in the microseconds between the take and the
 * put back is still lost, and counted as unmatched by the probe.
 *
 * <p>Not thread-safe: one caller at a time (housekeeping).
 */
final class InflightPrune {
  /** The map operations the prune needs. */
  interface Entries {
    /** Keys whose entries were last touched (started or issued) before {@code beforeNs}, now. */
    List<Long> touchedBefore(long beforeNs);

    /** Deletes {@code key}'s entry and returns its value, in one step; null if there was none. */
    byte[] take(long key);

    /** When an entry's request was last touched (started or issued), CLOCK_MONOTONIC. */
    long lastTouched(byte[] value);

    /** Puts {@code value} back under {@code key} unless the key has an entry again. */
    boolean restore(long key, byte[] value);
  }

  /** What one prune did: stale entries deleted, live ones taken and put back. */
  record Result(int pruned, int restored) {}

  private InflightPrune() {}

  static Result prune(Entries m, long beforeNs) {
    int pruned = 0;
    int restored = 0;
    for (long key : m.touchedBefore(beforeNs)) {
      byte[] v = m.take(key);
      if (v == null) {
        continue; // completed since the scan: not stale
      }
      if (m.lastTouched(v) < beforeNs) {
        pruned++;
      } else if (m.restore(key, v)) {
        restored++; // a new request took the address since the scan
      }
    }
    return new Result(pruned, restored);
  }
}
