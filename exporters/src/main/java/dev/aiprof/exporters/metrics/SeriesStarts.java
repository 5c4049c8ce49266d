package dev.aiprof.exporters.metrics;

import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Start times of cumulative series, stable from one collection to the next. A series seen in the
 * first collection starts when the bridge started; one that appears later starts at the previous
 * collection (it was absent, i.e. zero, then); one whose cumulative value went down (its collector
 * lost and re-created the entry) restarts at the previous collection too, so consumers see a reset
 * rather than a negative rate. Series unseen for {@code evictAfterNanos} are forgotten, so the
 * table stays as small as the live series.
 *
 * <p>Not thread-safe: the bridge calls it under its own lock.
 */
final class SeriesStarts {
  private record Key(String metric, Attributes attributes) {}

  private static final class Entry {
    long start;
    double last;
    long lastSeen;
  }

  private final long bridgeStart;
  private final long evictAfterNanos;
  private final Map<Key, Entry> entries = new HashMap<>();
  private long previousCollection = Long.MIN_VALUE;

  SeriesStarts(long bridgeStartEpochNanos, long evictAfterNanos) {
    this.bridgeStart = bridgeStartEpochNanos;
    this.evictAfterNanos = evictAfterNanos;
  }

  /**
   * The start time of a series observed at {@code now} with cumulative {@code value} (a counter's
   * value, a histogram's count; gauges pass 0).
   */
  long start(String metric, Attributes attributes, double value, long now) {
    Entry e = entries.get(new Key(metric, attributes));
    long since = previousCollection == Long.MIN_VALUE ? bridgeStart : previousCollection;
    if (e == null) {
      e = new Entry();
      e.start = since;
      entries.put(new Key(metric, Objects.requireNonNull(attributes)), e);
    } else if (value < e.last) {
      e.start = since;
    }
    e.last = value;
    e.lastSeen = now;
    return e.start;
  }

  /** Ends a collection made at {@code now}: later new series start here; stale ones go. */
  void collected(long now) {
    previousCollection = now;
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (now - it.next().lastSeen > evictAfterNanos) {
        it.remove();
      }
    }
  }

  int size() {
    return entries.size();
  }
}
