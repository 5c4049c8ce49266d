package dev.aiprof.agent.correlation;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Phase-level metrics: a histogram of phase durations and the time phases spent per category
 * (on_cpu, runqueue, blocked, sleep, other...), per workload and phase name. Cumulative since
 * start. The series key keeps the workload's identity but not per-process attributes ({@code
 * process.*}), so restarts do not multiply series.
 *
 * <p>Thread-safe: phases arrive on the engine's thread, collection runs on the exporter's.
 */
public final class PhaseMetrics implements CorrelatedPhaseSink {
  public static final AttributeKey<String> PHASE = AttributeKey.stringKey("aiprof.phase.name");
  public static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("aiprof.phase.origin");
  public static final AttributeKey<String> CATEGORY =
      AttributeKey.stringKey("aiprof.phase.category");
  public static final MetricId DURATION =
      MetricId.histogram("aiprof.phase.duration", "Wall-clock duration of workload phases");
  public static final MetricId TIME =
      MetricId.counter(
          "aiprof.phase.time",
          "Thread time inside phases by category: on_cpu, runqueue, blocked (I/O), sleep, other",
          "s");

  private static final int SLOTS = 40;

  private static final class Series {
    final long[] slots = new long[SLOTS];
    long sumNs;
    final Map<String, Long> times = new TreeMap<>();
  }

  private final Map<Attributes, Series> series = new HashMap<>();

  @Override
  public synchronized void accept(CorrelatedPhase c) {
    Series s = series.computeIfAbsent(key(c), k -> new Series());
    long d = c.phase().durationNs();
    s.slots[slot(d)]++;
    s.sumNs += d;
    c.values()
        .forEach(
            (k, v) -> {
              if (k.kind().isTime()) {
                s.times.merge(k.id(), v, Long::sum);
              }
            });
  }

  public synchronized void collect(MetricSink sink) {
    for (var e : series.entrySet()) {
      Series s = e.getValue();
      sink.histogram(DURATION, e.getKey(), new Log2Histogram(s.slots), s.sumNs);
      for (var t : s.times.entrySet()) {
        sink.counter(
            TIME, e.getKey().toBuilder().put(CATEGORY, t.getKey()).build(), t.getValue() / 1e9);
      }
    }
  }

  static Attributes key(CorrelatedPhase c) {
    AttributesBuilder b = Attributes.builder();
    c.workload()
        .forEach(
            (k, v) -> {
              if (!k.getKey().startsWith("process.")) {
                putAny(b, k, v);
              }
            });
    return b.put(PHASE, c.phase().name()).put(ORIGIN, c.phase().origin().label()).build();
  }

  @SuppressWarnings("unchecked")
  private static void putAny(AttributesBuilder b, AttributeKey<?> k, Object v) {
    b.put((AttributeKey<Object>) k, v);
  }

  static int slot(long ns) {
    int s = 63 - Long.numberOfLeadingZeros(Math.max(1, ns));
    return Math.min(s, SLOTS - 1);
  }
}
