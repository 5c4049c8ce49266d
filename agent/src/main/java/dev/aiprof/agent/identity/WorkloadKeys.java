package dev.aiprof.agent.identity;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenTelemetry resource attribute keys a {@link Workload} carries. Names are the semantic
 * conventions' (k8s.*, container.*, process.*, service.name); {@code systemd.unit} is aiprof's.
 */
public final class WorkloadKeys {
  public static final AttributeKey<String> K8S_POD_NAME = AttributeKey.stringKey("k8s.pod.name");
  public static final AttributeKey<String> K8S_NAMESPACE_NAME =
      AttributeKey.stringKey("k8s.namespace.name");
  public static final AttributeKey<String> K8S_POD_UID = AttributeKey.stringKey("k8s.pod.uid");
  public static final AttributeKey<String> K8S_CONTAINER_NAME =
      AttributeKey.stringKey("k8s.container.name");
  public static final AttributeKey<String> K8S_NODE_NAME = AttributeKey.stringKey("k8s.node.name");
  public static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
  public static final AttributeKey<String> CONTAINER_RUNTIME =
      AttributeKey.stringKey("container.runtime");
  public static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
  public static final AttributeKey<String> PROCESS_EXECUTABLE_NAME =
      AttributeKey.stringKey("process.executable.name");
  public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  public static final AttributeKey<String> SYSTEMD_UNIT = AttributeKey.stringKey("systemd.unit");

  private WorkloadKeys() {}
}
