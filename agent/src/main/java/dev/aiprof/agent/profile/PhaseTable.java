package dev.aiprof.agent.profile;

import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import io.opentelemetry.api.common.AttributeKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Per-phase totals for the CLI: count, wall time, and thread time by category, plus the mean GPU
 * utilization when a GPU signal describes the phases. Thread-safe.
 */
public final class PhaseTable implements CorrelatedPhaseSink {
  static final AttributeKey<Double> GPU_UTIL = AttributeKey.doubleKey("aiprof.gpu.utilization");

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
      double gpuUtil) {
    /** Thread time the categories cover (more than wall for process-wide phases). */
    public long threadNs() {
      return onCpuNs + runqueueNs + blockedNs + otherOffNs;
    }
  }

  private static final class Acc {
    long count;
    long wall;
    long on;
    long runq;
    long blocked;
    long other;
    double gpuSum;
    long gpuN;
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
    Acc a =
        rows.computeIfAbsent(List.of(c.phase().name(), c.phase().origin().label()), k -> new Acc());
    a.count++;
    a.wall += c.phase().durationNs();
    a.on += c.time("on_cpu");
    a.runq += c.time("runqueue") + c.time("steal"); // both: ready to run, but no CPU
    a.blocked += c.time("blocked");
    a.other += c.time("sleep") + c.time("other");
    Double gpu = c.attributes().get(GPU_UTIL);
    if (gpu != null) {
      a.gpuSum += gpu;
      a.gpuN++;
    }
  }

  /** The rows, longest total wall time first. */
  public synchronized List<Row> rows() {
    List<Row> out = new ArrayList<>();
    rows.forEach(
        (k, a) ->
            out.add(
                new Row(
                    k.get(0),
                    k.get(1),
                    a.count,
                    a.wall,
                    a.on,
                    a.runq,
                    a.blocked,
                    a.other,
                    a.gpuN == 0 ? Double.NaN : a.gpuSum / a.gpuN)));
    out.sort(Comparator.comparingLong(Row::wallNs).reversed());
    return out;
  }
}
