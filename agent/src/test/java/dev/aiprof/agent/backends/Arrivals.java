package dev.aiprof.agent.backends;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each span was first seen in a backend (by a test that polls it), to report the end-to-end
 * latency: span end → queryable. Includes the poll interval. Thread-safe.
 */
final class Arrivals {
  private final Map<String, Long> first = new ConcurrentHashMap<>();

  /** Notes the spans seen now. */
  void saw(Collection<ExportedSpan> spans) {
    long now = TracedWorkload.epochNanos();
    for (ExportedSpan s : spans) {
      first.putIfAbsent(s.spanId(), now);
    }
  }

  /** "median X ms, max Y ms over N spans" of first seen − span end. */
  String latency(List<ExportedSpan> spans) {
    long[] ms =
        spans.stream()
            .filter(s -> first.containsKey(s.spanId()))
            .mapToLong(s -> (first.get(s.spanId()) - s.endNanos()) / 1_000_000)
            .sorted()
            .toArray();
    if (ms.length == 0) {
      return "no spans";
    }
    return "median "
        + ms[ms.length / 2]
        + " ms, max "
        + ms[ms.length - 1]
        + " ms over "
        + ms.length
        + " spans";
  }
}
