package dev.aiprof.agent.run;

import dev.aiprof.agent.identity.CgroupMounts;
import dev.aiprof.agent.identity.CgroupNames;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Names the cgroup behind a metric series: {@code aiprof.cgroup.path} is the cgroup v2 path, or
 * {@code memcg:<path>} of the v1 memory cgroup when the v2 path is the root (hybrid hosts), as in
 * the profile report. The default until pod identity ({@code k8s.*}, {@code container.*}) is wired
 * in. Thread-safe.
 */
public final class CgroupWorkloads implements WorkloadAttributes {
  public static final AttributeKey<String> PATH = AttributeKey.stringKey("aiprof.cgroup.path");

  private final CgroupNames v2;
  private final CgroupNames v1;

  public CgroupWorkloads(CgroupMounts mounts) {
    this.v2 = names(mounts.v2());
    this.v1 = names(mounts.v1Memory());
  }

  private static CgroupNames names(Optional<Path> root) {
    return root.map(r -> new CgroupNames(r, Duration.ofSeconds(10).toNanos())).orElse(null);
  }

  @Override
  public Attributes of(long cgroupV2Id, long cgroupV1Id) {
    String p = v2 == null ? null : v2.path(cgroupV2Id).orElse(null);
    // v1 only where v2 says nothing: no v2 hierarchy, or the v2 root. An id v2 cannot name (the
    // cgroup is gone) is not relabelled with the v1 memory cgroup, which may be a different group.
    if ((v2 == null || "/".equals(p)) && v1 != null && cgroupV1Id != 0) {
      String m = v1.path(cgroupV1Id).orElse(null);
      if (m != null && !m.equals("/")) {
        return Attributes.of(PATH, "memcg:" + m);
      }
    }
    return p == null ? Attributes.empty() : Attributes.of(PATH, p);
  }
}
