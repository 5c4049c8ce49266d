package dev.aiprof.agent.identity;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/**
 * {@code aiprof.workload}: one label that names the workload behind a metric series by the most
 * specific identity its attributes hold, so that dashboards can key on it on any kind of host:
 * {@code NAMESPACE/POD} for a pod, {@code pod/UID} for a pod the metadata source does not know,
 * {@code container/ID12} for a container outside Kubernetes, the unit ({@code trainer.service}) for
 * a systemd unit, {@code process/EXE} for a plain process's phases, and {@code cgroup:PATH} for a
 * cgroup nothing else names (scheduler series of plain processes). Derived from attributes already
 * on the series: adds no series. Stateless.
 */
public final class WorkloadName {
  public static final AttributeKey<String> KEY = AttributeKey.stringKey("aiprof.workload");
  private static final AttributeKey<String> CGROUP_PATH =
      AttributeKey.stringKey("aiprof.cgroup.path");

  private WorkloadName() {}

  /** The name, or null when the attributes name nothing. */
  public static String of(Attributes a) {
    String pod = a.get(WorkloadKeys.K8S_POD_NAME);
    if (pod != null) {
      String ns = a.get(WorkloadKeys.K8S_NAMESPACE_NAME);
      return ns == null ? pod : ns + "/" + pod;
    }
    String uid = a.get(WorkloadKeys.K8S_POD_UID);
    if (uid != null) {
      return "pod/" + uid;
    }
    String container = a.get(WorkloadKeys.CONTAINER_ID);
    if (container != null) {
      return "container/" + container.substring(0, Math.min(12, container.length()));
    }
    String unit = a.get(WorkloadKeys.SYSTEMD_UNIT);
    if (unit != null) {
      return unit;
    }
    String exe = a.get(WorkloadKeys.PROCESS_EXECUTABLE_NAME);
    if (exe != null) {
      return "process/" + exe;
    }
    String cgroup = a.get(CGROUP_PATH);
    return cgroup == null ? null : "cgroup:" + cgroup;
  }

  /** {@code a} with {@link #KEY} added when it names something. */
  public static Attributes with(Attributes a) {
    String name = of(a);
    return name == null ? a : a.toBuilder().put(KEY, name).build();
  }
}
