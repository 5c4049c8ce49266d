package dev.aiprof.api.metrics;

/**
 * A metric a collector reports: its name (OpenTelemetry semantic-convention name where one exists,
 * {@code aiprof.*} otherwise), description, UCUM unit and kind. Collectors declare these as
 * constants; exporters turn them into instruments without knowing the collector.
 */
public record MetricId(String name, String description, String unit, Kind kind) {
  /** How values of the metric combine. */
  public enum Kind {
    /** A cumulative, monotonic sum (a counter). */
    COUNTER,
    /** A current value. */
    GAUGE,
    /** A cumulative log2 histogram of nanosecond durations, exported in seconds. */
    HISTOGRAM
  }

  public MetricId {
    // DCGM_FI_*: dcgm-exporter's names, served for its published dashboards (nvml.dcgm-names)
    if (!name.matches("[a-z][a-z0-9_.]*") && !name.matches("DCGM_FI_[A-Z0-9_]+")) {
      throw new IllegalArgumentException("metric name " + name + " is not lower.dotted_case");
    }
    if (description.isBlank() || unit.isBlank()) {
      throw new IllegalArgumentException("metric " + name + " needs a description and a unit");
    }
  }

  public static MetricId counter(String name, String description, String unit) {
    return new MetricId(name, description, unit, Kind.COUNTER);
  }

  public static MetricId gauge(String name, String description, String unit) {
    return new MetricId(name, description, unit, Kind.GAUGE);
  }

  public static MetricId histogram(String name, String description) {
    return new MetricId(name, description, "s", Kind.HISTOGRAM);
  }
}
