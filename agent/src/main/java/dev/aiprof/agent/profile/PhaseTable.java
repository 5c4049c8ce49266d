package dev.aiprof.agent.profile;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Per-phase totals for the CLI: count, wall time, and thread time by where it went (the thread-time
 * categories), plus every other category a signal gave (device time, bytes, counts). Bounded: at
 * most {@value #MAX_ROWS} phase names; the rest are summed under {@value #OTHER}. Thread-safe.
 */
public final class PhaseTable implements CorrelatedPhaseSink {
  static final int MAX_ROWS = 1000;
  static final String OTHER = "_other";

  /** One row: a phase name (and origin) with its totals. */
  public record Row(
      String phase,
      String origin,
      long count,
      long wallNs,
      long onCpuNs,
      long runqueueNs,
      long blockedNs,
      long otherOffNs,
      Map<Category, Long> more) {
    /** Thread time the categories cover (more than wall for process-wide phases). */
    public long threadNs() {
      return onCpuNs + runqueueNs + blockedNs + otherOffNs;
    }
  }

  private static final class Acc {
    long count;
    long wall;
    final Map<Category, Long> values = new EnumMap<>(Category.class);
  }

  private final Predicate<CorrelatedPhase> filter;
  private final Map<List<String>, Acc> rows = new LinkedHashMap<>();

  public PhaseTable(Predicate<CorrelatedPhase> filter) {
    this.filter = filter;
  }

  @Override
  public synchronized void accept(CorrelatedPhase c) {
    if (!filter.test(c)) {
      return;
    }
    List<String> key = List.of(c.phase().name(), c.phase().origin().label());
    if (!rows.containsKey(key) && rows.size() >= MAX_ROWS) {
      key = List.of(OTHER, c.phase().origin().label());
    }
    Acc a = rows.computeIfAbsent(key, k -> new Acc());
    a.count++;
    a.wall += c.phase().durationNs();
    c.values().forEach((k, v) -> a.values.merge(k, v, Long::sum));
  }

  /** The rows, longest total wall time first. */
  public synchronized List<Row> rows() {
    List<Row> out = new ArrayList<>();
    rows.forEach((k, a) -> out.add(row(k.get(0), k.get(1), a)));
    out.sort(Comparator.comparingLong(Row::wallNs).reversed());
    return out;
  }

  private static Row row(String phase, String origin, Acc a) {
    Map<Category, Long> more = new EnumMap<>(Category.class);
    a.values.forEach(
        (k, v) -> {
          if (k.kind() != Category.Kind.THREAD_TIME) {
            more.put(k, v);
          }
        });
    return new Row(
        phase,
        origin,
        a.count,
        a.wall,
        get(a, Category.ON_CPU),
        // Both are waits for a CPU: ready to run, but no CPU.
        get(a, Category.RUNQUEUE) + get(a, Category.STEAL),
        get(a, Category.BLOCKED),
        get(a, Category.SLEEP) + get(a, Category.OTHER),
        more);
  }

  private static long get(Acc a, Category c) {
    return a.values.getOrDefault(c, 0L);
  }
}
