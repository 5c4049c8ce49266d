package dev.aiprof.api.phase;

import dev.aiprof.api.category.Category;
import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.Map;

/**
 * A phase with everything the signals said about it and the workload it belongs to: what the
 * exporters turn into a span (the workload's own, enriched, or one the agent makes), into
 * phase-level metrics, and what reports show.
 *
 * @param phase the phase as its source reported it
 * @param workload resource attributes of the workload (k8s.pod.name, container.id, process.pid...)
 * @param attributes what the signals added ({@code aiprof.*})
 * @param events incidents inside the phase (stalls), times monotonic
 * @param values by category: time in ns, amounts in bytes or occurrences
 * @param late the signals whose data was not complete when the phase was described (their patience
 *     ran out), also named by the {@code aiprof.signals.late} attribute; empty normally
 * @param startEpochNanos start on the wall clock
 * @param endEpochNanos end on the wall clock
 */
public record CorrelatedPhase(
    Phase phase,
    Attributes workload,
    Attributes attributes,
    List<PhaseDescription.Event> events,
    Map<Category, Long> values,
    List<String> late,
    long startEpochNanos,
    long endEpochNanos) {

  public CorrelatedPhase {
    events = List.copyOf(events);
    values = Map.copyOf(values);
    late = List.copyOf(late);
  }

  /** The value of {@code category}, 0 when no signal gave one. */
  public long value(Category category) {
    return values.getOrDefault(category, 0L);
  }
}
