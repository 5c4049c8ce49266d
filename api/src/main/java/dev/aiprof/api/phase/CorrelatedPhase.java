package dev.aiprof.api.phase;

import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.Map;

/**
 * A phase with everything the signals said about it and the workload it belongs to: what the
 * exporters turn into a span (the workload's own, enriched, or one the agent makes) and into
 * phase-level metrics.
 *
 * @param phase the phase as its source reported it
 * @param workload resource attributes of the workload (k8s.pod.name, container.id, process.pid...)
 * @param attributes what the signals added ({@code aiprof.*})
 * @param events incidents inside the phase (stalls), times monotonic
 * @param times time by category ("on_cpu", "runqueue", "blocked", ...) in ns
 * @param startEpochNanos start on the wall clock
 * @param endEpochNanos end on the wall clock
 */
public record CorrelatedPhase(
    Phase phase,
    Attributes workload,
    Attributes attributes,
    List<PhaseDescription.Event> events,
    Map<String, Long> times,
    long startEpochNanos,
    long endEpochNanos) {

  public long time(String category) {
    return times.getOrDefault(category, 0L);
  }
}
