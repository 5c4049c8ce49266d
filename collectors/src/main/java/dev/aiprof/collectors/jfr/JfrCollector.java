package dev.aiprof.collectors.jfr;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.Attributes;
import java.util.Map;

/**
 * Phase source for JVM workloads: streams the JFR events of selected JVMs and reports GC pauses,
 * safepoints and user-declared {@code aiprof.Phase} events as {@link dev.aiprof.api.phase.Phase}s
 * (origin JFR) to the context's phase listener, asking the follow service to follow each JVM it
 * starts streaming. See the package documentation for the event class users declare and {@link
 * JfrSettings} for the {@code jfr.*} settings.
 *
 * <p>With no JVM selected ({@code jfr.pids} empty, {@code jfr.select=none}: the default) it starts
 * no thread and costs nothing until {@link #follow} names one.
 *
 * <p>Lifecycle: {@link #start} once, {@link #collect} on the runner's thread, {@link #close} once
 * (stops every recording it started). {@link #follow} and {@link #statuses} are thread-safe.
 */
public final class JfrCollector implements Collector {
  private final JfrCounters counters = new JfrCounters();
  private CollectorContext context;
  private JfrSettings settings;
  private PhaseQueue queue;
  private JvmTracker tracker;

  @Override
  public void start(CollectorContext context) {
    this.settings = JfrSettings.from(context.settings());
    this.context = context;
    context.metrics(this::collect);
    context.offer(JfrCollector.class, this); // its state, for diagnostics and tests
    if (!settings.selectsNothing()) {
      tracker();
    }
  }

  /** Starts streaming the JVM {@code pid} (the agent was told to follow it). */
  public void follow(int pid) {
    tracker().follow(pid);
  }

  /** Every JVM the collector has dealt with, by pid: streaming, failed (with why), exited. */
  public synchronized Map<Integer, JvmStatus> statuses() {
    return tracker == null ? Map.of() : tracker.statuses();
  }

  private synchronized JvmTracker tracker() {
    if (context == null) {
      throw new IllegalStateException("the jfr collector is not started");
    }
    if (tracker == null) {
      queue = new PhaseQueue(settings.queueCapacity(), context.phases(), counters);
      tracker =
          new JvmTracker(
              settings, context.paths(), context.clock(), context.follows(), queue, counters);
    }
    return tracker;
  }

  private synchronized void collect(MetricSink sink) {
    if (tracker == null) {
      return;
    }
    Map<String, Long> streaming = tracker.streaming();
    for (String m : new String[] {"repository", "jmx"}) {
      sink.gauge(
          JfrMetrics.JVMS, Attributes.of(JfrMetrics.MECHANISM, m), streaming.getOrDefault(m, 0L));
    }
    sink.counter(JfrMetrics.ATTACH_FAILURES, Attributes.empty(), counters.attachFailures.sum());
    for (PhaseKind k : PhaseKind.values()) {
      sink.counter(
          JfrMetrics.PHASES, Attributes.of(JfrAttributes.KIND, k.label()), counters.phases(k));
    }
    for (JfrCounters.Drop d : JfrCounters.Drop.values()) {
      sink.counter(
          JfrMetrics.DROPPED, Attributes.of(JfrMetrics.REASON, d.label()), counters.dropped(d));
    }
  }

  @Override
  public synchronized void close() {
    if (tracker != null) {
      tracker.close();
    }
    if (queue != null) {
      queue.close();
    }
  }
}
