package dev.aiprof.collectors;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Starts collectors independently, collects from each on demand and reports each one's health as
 * metrics of its own ({@code aiprof.collector.success}, {@code aiprof.collector.duration}): a
 * collector that fails to start or to collect is logged once and skipped; the others go on.
 *
 * <p>Not thread-safe: one thread starts, collects and closes.
 */
public final class CollectorRunner implements AutoCloseable {
  public static final MetricId SUCCESS =
      MetricId.gauge(
          "aiprof.collector.success",
          "Whether the collector's last collection succeeded (1) or not (0)",
          "1");
  public static final MetricId DURATION =
      MetricId.gauge(
          "aiprof.collector.duration", "How long the collector's last collection took", "s");
  public static final AttributeKey<String> COLLECTOR = AttributeKey.stringKey("aiprof.collector");

  private static final System.Logger LOG = System.getLogger(CollectorRunner.class.getName());

  /** A collector's state: running, or failed with the reason. */
  public record Status(String name, boolean running, String error) {}

  private final List<Collector> collectors;
  private final List<Collector> running = new ArrayList<>();
  private final ConcurrentHashMap<String, Status> statuses = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  public CollectorRunner(List<Collector> collectors) {
    this(collectors, System::nanoTime);
  }

  public CollectorRunner(List<Collector> collectors, LongSupplier nanoClock) {
    this.collectors = List.copyOf(collectors);
    this.nanoClock = nanoClock;
  }

  /** Starts every collector; returns the statuses (failures included, never thrown). */
  public List<Status> start(CollectorContext context) {
    for (Collector c : collectors) {
      try {
        c.start(context);
        running.add(c);
        statuses.put(c.name(), new Status(c.name(), true, null));
      } catch (Exception | LinkageError e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        statuses.put(c.name(), new Status(c.name(), false, why));
        LOG.log(System.Logger.Level.WARNING, "collector " + c.name() + " did not start: " + why);
        c.close();
      }
    }
    return statuses();
  }

  /** Collects once from every running collector into {@code sink}, with self-metrics. */
  public void collect(MetricSink sink) {
    for (Collector c : running) {
      long t0 = nanoClock.getAsLong();
      boolean ok = true;
      try {
        c.collect(sink);
      } catch (RuntimeException e) {
        ok = false;
        Status before = statuses.get(c.name());
        if (before == null || before.error() == null) {
          LOG.log(System.Logger.Level.WARNING, "collector " + c.name() + " failed: " + e);
        }
        statuses.put(c.name(), new Status(c.name(), true, String.valueOf(e.getMessage())));
      }
      if (ok) {
        statuses.put(c.name(), new Status(c.name(), true, null));
      }
      Attributes a = Attributes.of(COLLECTOR, c.name());
      sink.gauge(SUCCESS, a, ok ? 1 : 0);
      sink.gauge(DURATION, a, (nanoClock.getAsLong() - t0) / 1e9);
    }
  }

  public List<Status> statuses() {
    return collectors.stream().map(c -> statuses.get(c.name())).filter(s -> s != null).toList();
  }

  /** The running collector of the given type, if any. */
  public <T extends Collector> Optional<T> find(Class<T> type) {
    return running.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  @Override
  public void close() {
    for (Collector c : running) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing collector " + c.name() + ": " + e);
      }
    }
    running.clear();
  }
}
