package dev.aiprof.agent.identity;

import static dev.aiprof.agent.identity.WorkloadKeys.CONTAINER_ID;
import static dev.aiprof.agent.identity.WorkloadKeys.CONTAINER_RUNTIME;
import static dev.aiprof.agent.identity.WorkloadKeys.K8S_CONTAINER_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.K8S_NAMESPACE_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.K8S_NODE_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.K8S_POD_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.K8S_POD_UID;
import static dev.aiprof.agent.identity.WorkloadKeys.PROCESS_EXECUTABLE_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.PROCESS_PID;
import static dev.aiprof.agent.identity.WorkloadKeys.SERVICE_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.SYSTEMD_UNIT;

import dev.aiprof.api.sandbox.Sandbox;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link Workload}s from what was found (pure): the cgroup's owner, the pod metadata if any,
 * the process facts if a pid was asked for.
 *
 * <p>service.name: for a pod, the first of the labels {@code app.kubernetes.io/name}, {@code app},
 * {@code k8s-app}, else the container name; for a systemd unit, the unit name without its suffix;
 * otherwise the executable name.
 */
final class Workloads {
  /** Pod labels that name the service, in order of preference. */
  public static final List<String> SERVICE_LABELS =
      List.of("app.kubernetes.io/name", "app", "k8s-app");

  private Workloads() {}

  /**
   * @param owner what the cgroup path says
   * @param pod the pod (and container in it) the metadata source knows, if any
   * @param process the process facts, when resolving a pid
   * @param nodeName this node's name, for k8s.node.name when the pod does not say
   */
  public static Workload of(
      CgroupOwner owner, Optional<PodMatch> pod, Optional<ProcessFacts> process, String nodeName) {
    AttributesBuilder b = Attributes.builder();
    process.ifPresent(
        p -> b.put(PROCESS_PID, (long) p.pid()).put(PROCESS_EXECUTABLE_NAME, p.executableName()));
    Optional<String> exe = process.map(ProcessFacts::executableName);
    Workload.Kind kind =
        switch (owner) {
          case CgroupOwner.Container c -> container(b, c, pod, exe, nodeName);
          case CgroupOwner.Pod p -> podOnly(b, p.uid(), pod, exe, nodeName);
          case CgroupOwner.SystemdUnit u -> unit(b, u.unit());
          case CgroupOwner.Unknown u -> {
            exe.ifPresent(e -> b.put(SERVICE_NAME, e));
            yield process.isPresent() ? Workload.Kind.PROCESS : Workload.Kind.UNKNOWN;
          }
        };
    return new Workload(kind, b.build());
  }

  /**
   * {@code w} with the sandbox's attributes ({@code aiprof.sandbox}, {@code container.runtime} in
   * place of the engine's, {@code aiprof.sched.observable=false} and its reason); {@code w} itself
   * when there is no sandbox.
   */
  public static Workload sandboxed(Workload w, Optional<Sandbox> sandbox) {
    if (sandbox.isEmpty()) {
      return w;
    }
    return new Workload(
        w.kind(), w.attributes().toBuilder().putAll(sandbox.get().attributes()).build());
  }

  /** The service name a pod's labels give, else {@code containerName}. */
  public static String serviceName(Map<String, String> labels, String containerName) {
    for (String key : SERVICE_LABELS) {
      String v = labels.get(key);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return containerName;
  }

  /** The unit name without its suffix: {@code nginx.service} → {@code nginx}. */
  public static String unitService(String unit) {
    int dot = unit.lastIndexOf('.');
    return dot > 0 ? unit.substring(0, dot) : unit;
  }

  private static Workload.Kind container(
      AttributesBuilder b,
      CgroupOwner.Container c,
      Optional<PodMatch> match,
      Optional<String> exe,
      String nodeName) {
    b.put(CONTAINER_ID, c.id());
    Optional<String> runtime =
        c.runtime().or(() -> match.flatMap(PodMatch::container).map(Pod.Container::runtime));
    runtime.filter(r -> !r.isEmpty()).ifPresent(r -> b.put(CONTAINER_RUNTIME, r));
    if (match.isEmpty() && c.podUid().isEmpty()) {
      exe.ifPresent(e -> b.put(SERVICE_NAME, e));
      return Workload.Kind.CONTAINER;
    }
    return podOnly(b, c.podUid().orElse(null), match, exe, nodeName);
  }

  private static Workload.Kind podOnly(
      AttributesBuilder b,
      String uid,
      Optional<PodMatch> match,
      Optional<String> exe,
      String nodeName) {
    if (match.isEmpty()) {
      b.put(K8S_POD_UID, uid);
      putIfSet(b, K8S_NODE_NAME, nodeName);
      exe.ifPresent(e -> b.put(SERVICE_NAME, e));
      return Workload.Kind.KUBERNETES;
    }
    Pod pod = match.get().pod();
    b.put(K8S_POD_NAME, pod.name()).put(K8S_NAMESPACE_NAME, pod.namespace());
    b.put(K8S_POD_UID, pod.uid());
    putIfSet(b, K8S_NODE_NAME, pod.nodeName().isEmpty() ? nodeName : pod.nodeName());
    Optional<String> containerName = match.get().container().map(Pod.Container::name);
    containerName.ifPresent(n -> b.put(K8S_CONTAINER_NAME, n));
    String service = serviceName(pod.labels(), containerName.orElse(null));
    if (service == null) {
      service = exe.orElse(pod.name());
    }
    b.put(SERVICE_NAME, service);
    return Workload.Kind.KUBERNETES;
  }

  private static Workload.Kind unit(AttributesBuilder b, String unit) {
    b.put(SYSTEMD_UNIT, unit).put(SERVICE_NAME, unitService(unit));
    return Workload.Kind.SYSTEMD;
  }

  private static void putIfSet(AttributesBuilder b, AttributeKey<String> k, String v) {
    if (v != null && !v.isEmpty()) {
      b.put(k, v);
    }
  }
}
