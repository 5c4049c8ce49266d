package dev.aiprof.agent.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata of one Kubernetes pod that identity needs, from the kubelet's {@code /pods} or the
 * API server. Immutable.
 *
 * @param name metadata.name
 * @param namespace metadata.namespace
 * @param uid metadata.uid (with dashes)
 * @param labels metadata.labels
 * @param nodeName spec.nodeName, empty if not yet scheduled
 * @param containers every container with a status, init and ephemeral containers included
 */
record Pod(
    String name,
    String namespace,
    String uid,
    Map<String, String> labels,
    String nodeName,
    List<Container> containers) {

  public Pod {
    labels = Map.copyOf(labels);
    containers = List.copyOf(containers);
  }

  /** The container with runtime id {@code id}, if this pod has it. */
  public Optional<Container> container(String id) {
    return containers.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /**
   * One container's status.
   *
   * @param name the container's name in the pod spec
   * @param id the runtime's container id, without the {@code containerd://} scheme; empty while the
   *     container is waiting to be created
   * @param runtime the scheme of status.containerID: "containerd", "cri-o", "docker", ...
   * @param init whether it is an init container
   */
  public record Container(String name, String id, String runtime, boolean init) {}
}
