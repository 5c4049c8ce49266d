package dev.aiprof.api.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/**
 * Attribute keys of the raw workload identity collectors report. The agent's identity resolver
 * replaces them with resource attributes (k8s.pod.name, container.id, ...) before export.
 */
public final class Identity {
  /** cgroup v2 id (the cgroup directory's inode); 1 is the root. */
  public static final AttributeKey<Long> CGROUP_ID = AttributeKey.longKey("aiprof.cgroup.id");

  /** cgroup v1 memory-controller cgroup id; 0 when the host has no v1 memory hierarchy. */
  public static final AttributeKey<Long> CGROUP_V1_ID = AttributeKey.longKey("aiprof.cgroup.v1_id");

  public static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  public static final AttributeKey<Long> TID = AttributeKey.longKey("thread.id");

  /**
   * The OpenTelemetry SDK's own overflow attribute: a series with it (and no workload identity)
   * stands for every workload past a collector's series bound.
   */
  public static final AttributeKey<Boolean> OVERFLOW =
      AttributeKey.booleanKey("otel.metric.overflow");

  /** The attributes of an overflow series. */
  public static final Attributes OVERFLOWED = Attributes.of(OVERFLOW, true);

  private Identity() {}

  public static Attributes cgroup(long v2, long v1) {
    return Attributes.of(CGROUP_ID, v2, CGROUP_V1_ID, v1);
  }
}
