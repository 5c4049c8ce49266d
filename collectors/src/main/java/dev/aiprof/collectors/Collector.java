package dev.aiprof.collectors;

import dev.aiprof.api.metrics.MetricSink;

/**
 * One independent source of measurements (a BPF probe, NVML, /proc...). The runner calls {@link
 * #start} once, {@link #collect} on every interval, and {@link #close} once; a collector that fails
 * to start or to collect is recorded and skipped, the others go on.
 *
 * <p>Implementations are used by one thread at a time (the runner's); anything they hand to other
 * threads (ring-buffer pollers) they own and stop in {@link #close}.
 */
public interface Collector extends AutoCloseable {
  /** Short lower-case name: the key of its switch and of its self-metrics ("sched"). */
  String name();

  /**
   * Acquires what the collector needs (loads and attaches probes). Throws when the host cannot
   * support it; the message names the cause and the fix.
   */
  void start(CollectorContext context) throws Exception;

  /** Reports cumulative values of everything it measures. Must not block for long. */
  void collect(MetricSink sink);

  /** Releases everything; safe to call twice and after a failed start. */
  @Override
  void close();
}
