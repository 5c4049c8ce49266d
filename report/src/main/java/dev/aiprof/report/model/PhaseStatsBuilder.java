package dev.aiprof.report.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per-phase-name statistics, the most wall time first (then by name). Pure. */
final class PhaseStatsBuilder {
  private PhaseStatsBuilder() {}

  static List<PhaseStats> of(List<PhaseBar> bars) {
    Map<String, List<PhaseBar>> byName = new TreeMap<>();
    for (PhaseBar b : bars) {
      byName.computeIfAbsent(b.span().name(), k -> new ArrayList<>()).add(b);
    }
    List<PhaseStats> out = new ArrayList<>();
    byName.forEach(
        (name, list) -> {
          List<Double> wall = list.stream().map(b -> b.span().durationNs() / 1e6).toList();
          Breakdown sum = Breakdown.NONE;
          for (PhaseBar b : list) {
            sum = sum.plus(b.breakdown());
          }
          out.add(
              new PhaseStats(
                  name,
                  list.size(),
                  wall.stream().mapToDouble(Double::doubleValue).sum(),
                  Histogram.of(wall),
                  sum));
        });
    out.sort(
        Comparator.comparingDouble((PhaseStats p) -> -p.wallMs()).thenComparing(PhaseStats::name));
    return List.copyOf(out);
  }
}
