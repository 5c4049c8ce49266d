package dev.aiprof.collectors;

import dev.aiprof.collectors.jfr.JfrCollector;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.otlp.OtlpCollector;
import dev.aiprof.collectors.sched.SchedCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one place collectors are registered, each with whether it runs by default. Adding a collector
 * is one line in {@link #standard()}.
 */
public final class CollectorRegistry {
  /** A registered collector: its name, default switch and factory. */
  public record Entry(String name, boolean enabledByDefault, Supplier<Collector> factory) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public static CollectorRegistry standard() {
    return new CollectorRegistry()
        .register(SchedCollector.NAME, true, SchedCollector::new)
        .register(MarkerCollector.NAME, true, MarkerCollector::new)
        .register(OtlpCollector.NAME, true, OtlpCollector::new)
        .register(JfrCollector.NAME, true, JfrCollector::new);
  }

  public CollectorRegistry register(String name, boolean enabledByDefault, Supplier<Collector> f) {
    if (entries.putIfAbsent(name, new Entry(name, enabledByDefault, f)) != null) {
      throw new IllegalArgumentException("collector " + name + " is registered twice");
    }
    return this;
  }

  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /**
   * New instances of the collectors that run: the defaults, plus {@code enable}, minus {@code
   * disable}. An unknown name is an error naming the known ones.
   */
  public List<Collector> create(Set<String> enable, Set<String> disable) {
    for (String n : enable) {
      requireKnown(n);
    }
    for (String n : disable) {
      requireKnown(n);
    }
    List<Collector> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      boolean on =
          (e.enabledByDefault() || enable.contains(e.name())) && !disable.contains(e.name());
      if (on) {
        out.add(e.factory().get());
      }
    }
    return out;
  }

  private void requireKnown(String name) {
    if (!entries.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown collector '" + name + "': known collectors are " + entries.keySet());
    }
  }
}
