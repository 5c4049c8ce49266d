package dev.aiprof.custom.bpftrace;

/** How a bpftrace map's values become metrics, from the aggregation that fills it. */
public enum MapKind {
  /** {@code count()}, {@code sum()}, {@code ++}, {@code +=}: a monotonic counter. */
  COUNTER,
  /** {@code hist()}, {@code lhist()}: a histogram. */
  HISTOGRAM,
  /** {@code stats()}: a counter of values and a counter of their total. */
  STATS,
  /** Anything else ({@code avg}, {@code min}, {@code max}, a plain value): a gauge. */
  GAUGE;

  static MapKind of(String function) {
    return switch (function) {
      case "count", "sum" -> COUNTER;
      case "hist", "lhist" -> HISTOGRAM;
      case "stats" -> STATS;
      default -> GAUGE;
    };
  }
}
