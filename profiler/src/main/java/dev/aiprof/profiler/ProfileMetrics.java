package dev.aiprof.profiler;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.bpf.profile.ProfileCounter;
import dev.aiprof.bpf.profile.ProfileProbe;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/**
 * The profile collector's own metrics: samples by kind, what was lost by cause (the kernel's
 * counters and the collector's own bounds), and the symboliser's lookups and cache hits.
 */
final class ProfileMetrics {
  static final AttributeKey<String> KIND = AttributeKey.stringKey("aiprof.profile.kind");
  static final AttributeKey<String> CAUSE = AttributeKey.stringKey("aiprof.cause");
  static final MetricId SAMPLES =
      MetricId.counter(
          "aiprof.profile.samples", "Stack samples taken, by kind (on_cpu, off_cpu)", "{sample}");
  static final MetricId LOST =
      MetricId.counter(
          "aiprof.profile.lost",
          "Samples or stacks lost, by cause: ring_full, stack_collision, stack_error,"
              + " state_missing, queue_full, stack_missing, stack_expired, window_full,"
              + " samples_full",
          "{sample}");
  static final MetricId LOOKUPS =
      MetricId.counter("aiprof.profile.symbol.lookups", "Frames symbolised", "{frame}");
  static final MetricId HITS =
      MetricId.counter(
          "aiprof.profile.symbol.cache_hits", "Frames symbolised from the cache", "{frame}");

  private final ProfileCollector c;

  ProfileMetrics(ProfileCollector c) {
    this.c = c;
  }

  void collect(MetricSink sink) {
    ProfileProbe p = c.probe();
    if (p == null) {
      return;
    }
    long[] s = c.stats();
    sink.counter(SAMPLES, Attributes.of(KIND, "on_cpu"), s[0]);
    sink.counter(SAMPLES, Attributes.of(KIND, "off_cpu"), s[1]);
    lost(sink, "ring_full", p.counter(ProfileCounter.EVENTS_DROPPED));
    lost(sink, "stack_collision", p.counter(ProfileCounter.STACK_COLLISIONS));
    lost(sink, "stack_error", p.counter(ProfileCounter.STACK_ERRORS));
    lost(sink, "state_missing", p.counter(ProfileCounter.STATE_MISSING));
    lost(sink, "queue_full", s[2]);
    lost(sink, "stack_missing", s[3]);
    lost(sink, "stack_expired", s[8]);
    lost(sink, "window_full", s[5]);
    lost(sink, "samples_full", s[6]);
    sink.counter(LOOKUPS, Attributes.empty(), c.symbolizer().lookups());
    sink.counter(HITS, Attributes.empty(), c.symbolizer().cacheHits());
  }

  private static void lost(MetricSink sink, String cause, long n) {
    sink.counter(LOST, Attributes.of(CAUSE, cause), n);
  }
}
