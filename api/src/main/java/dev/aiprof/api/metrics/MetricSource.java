package dev.aiprof.api.metrics;

/**
 * Something that reports cumulative metrics on demand: a collector, the correlation engine's
 * counters, the phase metrics, the exporters' own counters. Called on the metric reader's thread,
 * one call at a time; must not block for long and should not throw (a throw is counted and the
 * other sources still report).
 */
@FunctionalInterface
public interface MetricSource {
  void collect(MetricSink sink);
}
