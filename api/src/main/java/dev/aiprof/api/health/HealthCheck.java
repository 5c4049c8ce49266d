package dev.aiprof.api.health;

import java.util.Objects;

/**
 * One named check's result at one moment.
 *
 * @param name what was checked, stable and short ({@code thread:aiprof-correlation}, {@code
 *     probe:sched}, {@code exporter:otlp})
 * @param ok whether it passed
 * @param detail why it failed, or what it saw when it passed; one line, never a secret
 */
public record HealthCheck(String name, boolean ok, String detail) {
  public HealthCheck {
    Objects.requireNonNull(name, "name");
    detail = detail == null ? "" : detail;
  }

  /** A passing check. */
  public static HealthCheck pass(String name, String detail) {
    return new HealthCheck(name, true, detail);
  }

  /** A failing check. */
  public static HealthCheck fail(String name, String detail) {
    return new HealthCheck(name, false, detail);
  }
}
