package dev.aiprof.api.collector;

import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/**
 * How the agent finds a collector: a {@link java.util.ServiceLoader} service, listed in the
 * collector's module under {@code META-INF/services/dev.aiprof.api.collector.CollectorProvider}
 * (the OpenTelemetry SPI habit). Adding a collector is a new module plus that one file: nothing
 * else in the agent names it.
 *
 * <p>The pipeline starts collectors in the order their dependencies give ({@link #requires}, {@link
 * #uses}; by name where they do not), never in discovery order. A collector whose required
 * collector is off or failed is not started, with one line saying which and why. Implementations
 * are stateless.
 */
public interface CollectorProvider {
  /** Short lower-case name: the key of its switch, its settings' prefix and its self-metrics. */
  String getName();

  /** The roles the collector takes up. */
  Set<Role> roles();

  /** Collectors that must run for this one to run. */
  default Set<String> requires() {
    return Set.of();
  }

  /** Collectors this one uses when they run, and must start after. */
  default Set<String> uses() {
    return Set.of();
  }

  /** Whether it runs unless turned off. */
  default boolean enabledByDefault() {
    return true;
  }

  /** The settings it reads; every key starts with {@link #getName()} and a dot. */
  default List<Setting<?>> settings() {
    return List.of();
  }

  /** A new, unstarted collector. */
  Collector create();
}
