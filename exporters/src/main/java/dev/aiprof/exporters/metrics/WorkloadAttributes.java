package dev.aiprof.exporters.metrics;

import io.opentelemetry.api.common.Attributes;

/**
 * Maps the raw workload identity collectors report (cgroup v2 id, cgroup v1 memory-cgroup id) to
 * workload attributes ({@code k8s.pod.name}, {@code container.id}, ...). Implementations are
 * thread-safe, quick (cached) and never throw; unknown ids give empty attributes.
 */
@FunctionalInterface
public interface WorkloadAttributes {
  Attributes of(long cgroupV2Id, long cgroupV1Id);

  /** Knows no workload: metrics keep only their raw ids. */
  WorkloadAttributes NONE = (v2, v1) -> Attributes.empty();
}
