package dev.aiprof.agent.identity;

import io.opentelemetry.api.common.Attributes;

/**
 * Who a process or cgroup belongs to, as OpenTelemetry resource attributes (keys in {@link
 * WorkloadKeys}). Exporters put {@link #attributes()} on spans as the resource and on metrics as
 * attributes. Immutable.
 *
 * @param kind what kind of workload was recognised
 * @param attributes k8s.*, container.*, process.*, service.name (and systemd.unit for units)
 */
public record Workload(Kind kind, Attributes attributes) {

  /** Nothing recognised and no process facts (a cgroup id nobody knows). */
  public static final Workload UNKNOWN = new Workload(Kind.UNKNOWN, Attributes.empty());

  /** What kind of workload. */
  public enum Kind {
    /** A container in a Kubernetes pod (or a pod's cgroup outside its containers). */
    KUBERNETES,
    /** A container outside Kubernetes (Docker, Podman). */
    CONTAINER,
    /** A systemd unit: a service or a scope (login sessions, transient units). */
    SYSTEMD,
    /** A plain process: nothing above it was recognised. */
    PROCESS,
    /** Nothing recognised: the process is gone, or the cgroup is the root or unnamed. */
    UNKNOWN
  }

  /** The service.name attribute, or null. */
  public String serviceName() {
    return attributes.get(WorkloadKeys.SERVICE_NAME);
  }
}
