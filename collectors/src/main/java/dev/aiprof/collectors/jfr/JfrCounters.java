package dev.aiprof.collectors.jfr;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The collector's cumulative counts, updated from stream and attach threads. Thread-safe. */
final class JfrCounters {
  /** Why a phase or an event was not delivered. */
  enum Drop {
    /** The phase queue was full: the listener is slower than the JVMs produce phases. */
    QUEUE_FULL,
    /** A safepoint end without its begin, or a begin whose end never came. */
    UNPAIRED,
    /** An event whose fields did not have the expected types. */
    MALFORMED,
    /** The phase listener threw. */
    LISTENER_FAILED;

    String label() {
      return name().toLowerCase();
    }
  }

  final LongAdder attachFailures = new LongAdder();
  private final Map<PhaseKind, LongAdder> phases = new EnumMap<>(PhaseKind.class);
  private final Map<Drop, LongAdder> dropped = new EnumMap<>(Drop.class);

  JfrCounters() {
    for (PhaseKind k : PhaseKind.values()) {
      phases.put(k, new LongAdder());
    }
    for (Drop d : Drop.values()) {
      dropped.put(d, new LongAdder());
    }
  }

  void phase(PhaseKind kind) {
    phases.get(kind).increment();
  }

  void drop(Drop why) {
    dropped.get(why).increment();
  }

  long phases(PhaseKind kind) {
    return phases.get(kind).sum();
  }

  long dropped(Drop why) {
    return dropped.get(why).sum();
  }
}
