package dev.aiprof.api.collector;

/**
 * One independent source of measurements (a BPF probe, NVML, a receiver), made by its {@link
 * CollectorProvider}. The pipeline calls {@link #start} once, after the collectors it depends on
 * started, and {@link #close} once, before them. At start it acquires what it needs and takes up
 * its roles through the context; afterwards it works on its own threads and through what it
 * published (signals, metric sources, followers, sections).
 *
 * <p>A collector that throws from start is recorded as not running (with the message: name the
 * cause and the fix) and closed; the others go on.
 */
public interface Collector extends AutoCloseable {
  void start(CollectorContext context) throws Exception;

  /** Releases everything; safe to call twice and after a failed start. */
  @Override
  void close();
}
