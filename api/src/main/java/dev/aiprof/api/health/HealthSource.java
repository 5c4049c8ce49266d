package dev.aiprof.api.health;

import java.util.List;

/**
 * A source of health checks, asked on every {@code /healthz} or {@code /readyz} request and on
 * every watchdog tick. Implementations must answer quickly (no I/O that can block: report the last
 * known state) and be thread-safe.
 */
@FunctionalInterface
public interface HealthSource {
  /** A source with no checks (healthy). */
  HealthSource NONE = List::of;

  /** The checks now; healthy when every one passes. */
  List<HealthCheck> checks();

  /** Whether every check passes. */
  default boolean healthy() {
    return checks().stream().allMatch(HealthCheck::ok);
  }

  /** Both sources' checks. */
  default HealthSource and(HealthSource other) {
    return () -> {
      List<HealthCheck> a = checks();
      List<HealthCheck> b = other.checks();
      return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    };
  }
}
