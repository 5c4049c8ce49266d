package dev.aiprof.agent.correlation;

import dev.aiprof.api.Durations;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The phase metrics' settings ({@code metrics.max-phase-names=256}, {@code
 * metrics.phase-duration-buckets=1ms,5ms,...}): how many phase names a workload may have in
 * metrics, and the explicit buckets of {@code aiprof.phase.duration} where a reader aggregates
 * explicitly (Prometheus). Stateless.
 */
public final class PhaseMetricsSettings {
  /** Bucket bounds at 1, 2.5 and 5 per decade, 1 ms to 10 s: 14 bucket series with +Inf. */
  public static final List<Duration> DEFAULT_BUCKETS =
      List.of(
          Duration.ofMillis(1),
          Duration.ofMillis(2).plusNanos(500_000),
          Duration.ofMillis(5),
          Duration.ofMillis(10),
          Duration.ofMillis(25),
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(250),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofMillis(2500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10));

  /** The most bucket bounds {@link #DURATION_BUCKETS} takes. */
  static final int MAX_BUCKETS = 64;

  public static final Setting<Integer> MAX_NAMES =
      Setting.integer(
          "metrics.max-phase-names",
          256,
          1,
          1 << 16,
          "distinct phase names per workload in metrics; phases with more names are recorded"
              + " as _other and counted (aiprof.phase.names.overflow); spans keep their names");

  /**
   * (workload, name, origin) series of all workloads together. Each is at most 25 lines on {@code
   * /metrics} (PhaseMetricsBudgetTest): 2048 of them measured 5.5 MB a scrape and 28 MB of the
   * readers' heap (PhaseNamesAttackTest), inside the agent's heap budget.
   */
  public static final Setting<Integer> MAX_SERIES =
      Setting.integer(
          "metrics.max-phase-series",
          2048,
          1,
          1 << 16,
          "phase series (workload, name, origin) of all workloads in metrics; phases of further"
              + " ones are recorded in one overflow series (otel.metric.overflow=true) and counted"
              + " (aiprof.phase.names.overflow); spans keep their names");

  public static final Setting<List<Duration>> DURATION_BUCKETS =
      Setting.of(
          "metrics.phase-duration-buckets",
          PhaseMetricsSettings::parseBuckets,
          PhaseMetricsSettings::formatBuckets,
          "comma-separated increasing durations with a unit, e.g. 10ms,100ms,1s (at most "
              + MAX_BUCKETS
              + ")",
          DEFAULT_BUCKETS,
          "bucket bounds of aiprof.phase.duration where it is aggregated into explicit buckets"
              + " (Prometheus); OTLP gets base-2 exponential histograms");

  /** Every key of the phase metrics. */
  public static final List<Setting<?>> ALL = List.of(MAX_NAMES, MAX_SERIES, DURATION_BUCKETS);

  private PhaseMetricsSettings() {}

  static List<Duration> parseBuckets(String key, String text) {
    List<Duration> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      Duration d;
      try {
        d = Durations.parse(key, part.strip());
      } catch (IllegalArgumentException e) {
        throw fail(key, text, "'" + part.strip() + "' is not a duration with a unit, e.g. 250ms");
      }
      if (d.isZero() || d.isNegative()) {
        throw fail(key, text, "bounds must be above 0");
      }
      if (!out.isEmpty() && d.compareTo(out.getLast()) <= 0) {
        throw fail(key, text, "bounds must increase (" + part.strip() + " does not)");
      }
      out.add(d);
    }
    if (out.isEmpty() || out.size() > MAX_BUCKETS) {
      throw fail(key, text, "give 1 to " + MAX_BUCKETS + " bounds, e.g. 10ms,100ms,1s");
    }
    return List.copyOf(out);
  }

  private static SettingException fail(String key, String text, String why) {
    return new SettingException("invalid " + key + " '" + text + "': " + why, key, text);
  }

  static String formatBuckets(List<Duration> bounds) {
    List<String> out = new ArrayList<>();
    for (Duration d : bounds) {
      out.add(format(d));
    }
    return String.join(",", out);
  }

  /** In the largest unit the duration reaches: 500us, 2.5ms, 1s, 90s. */
  static String format(Duration d) {
    long ns = d.toNanos();
    String[] units = {"s", "ms", "us"};
    long[] sizes = {1_000_000_000L, 1_000_000L, 1_000L};
    for (int i = 0; i < units.length; i++) {
      if (ns >= sizes[i]) {
        return BigDecimal.valueOf(ns)
                .divide(BigDecimal.valueOf(sizes[i]))
                .stripTrailingZeros()
                .toPlainString()
            + units[i];
      }
    }
    return ns + "ns";
  }
}
