package dev.aiprof.collectors.otlp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What {@link SpanTrimmer} cut, by kind, since start. Thread-safe. */
final class LimitCounts {
  /** What was cut, as the {@code aiprof.otlp.limit} attribute. */
  enum Kind {
    /** Attributes dropped beyond the count. */
    ATTRIBUTES,
    /** Values (or array elements) truncated. */
    VALUE_LENGTH,
    /** Events dropped. */
    EVENTS,
    /** Links dropped. */
    LINKS,
    /** Span or event names truncated. */
    NAME;

    String label() {
      return name().toLowerCase();
    }
  }

  private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

  LimitCounts() {
    for (Kind k : Kind.values()) {
      counts.put(k, new LongAdder());
    }
  }

  void add(Kind kind, long n) {
    counts.get(kind).add(n);
  }

  long get(Kind kind) {
    return counts.get(kind).sum();
  }
}
