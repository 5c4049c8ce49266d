package dev.aiprof.exporters.metrics;

import dev.aiprof.api.metrics.Identity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds workload attributes to a series that carries raw identity ({@link Identity#CGROUP_ID},
 * {@link Identity#CGROUP_V1_ID}). The raw ids stay: they keep two cgroups that resolve to the same
 * (or to no) workload apart, so series never collide, and they add no cardinality (one container is
 * one cgroup). The series' own attributes win over workload attributes of the same key.
 *
 * <p>One instance serves one collection (it memoizes lookups); not thread-safe.
 */
final class Enrichment {
  private final WorkloadAttributes workloads;
  private final Map<List<Long>, Attributes> seen = new HashMap<>();

  Enrichment(WorkloadAttributes workloads) {
    this.workloads = workloads;
  }

  Attributes apply(Attributes series) {
    Long v2 = series.get(Identity.CGROUP_ID);
    Long v1 = series.get(Identity.CGROUP_V1_ID);
    if (v2 == null && v1 == null) {
      return series;
    }
    long a = v2 == null ? 0 : v2;
    long b = v1 == null ? 0 : v1;
    Attributes workload = seen.computeIfAbsent(List.of(a, b), k -> lookup(a, b));
    if (workload.isEmpty()) {
      return series;
    }
    AttributesBuilder out = workload.toBuilder();
    series.forEach((k, v) -> put(out, k, v));
    return out.build();
  }

  private Attributes lookup(long v2, long v1) {
    try {
      Attributes a = workloads.of(v2, v1);
      return a == null ? Attributes.empty() : a;
    } catch (RuntimeException e) {
      return Attributes.empty();
    }
  }

  @SuppressWarnings("unchecked")
  static void put(AttributesBuilder b, AttributeKey<?> k, Object v) {
    b.put((AttributeKey<Object>) k, v);
  }
}
