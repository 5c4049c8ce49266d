package dev.aiprof.report.model;

import dev.aiprof.report.otlp.SpanRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-phase statistics, the most wall time first (then by name). Phases are grouped by {@link
 * #key}: their name, with the span kind for client and server spans (a client span and the server
 * span it calls often share a name) and the origin for spans the agent made (a marker phase inside
 * the workload's own span of the same name is a second measurement, not a second phase). Pure.
 */
final class PhaseStatsBuilder {
  private PhaseStatsBuilder() {}

  static String key(SpanRecord s) {
    String kind =
        switch (s.kind()) {
          case SpanRecord.KIND_CLIENT -> " (client)";
          case SpanRecord.KIND_SERVER -> " (server)";
          default -> "";
        };
    String origin = s.text(SpanKeys.ORIGIN).map(o -> " [" + o + "]").orElse("");
    return s.name() + kind + origin;
  }

  static List<PhaseStats> of(List<PhaseBar> bars) {
    Map<String, List<PhaseBar>> byName = new TreeMap<>();
    for (PhaseBar b : bars) {
      byName.computeIfAbsent(key(b.span()), k -> new ArrayList<>()).add(b);
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
