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
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
  static final Optional<ProcessFacts> PYTHON = Optional.of(new ProcessFacts(4242, "python3", 1));
  static final CgroupOwner TRAINER =
      new CgroupOwner.Container(
          Fixtures.TRAINER_ID, Optional.of("containerd"), Optional.of(Fixtures.TRAINER_UID));

  static PodMatch match(String podName, String containerName) {
    Pod pod =
        Fixtures.pods("pods-containerd.json").stream()
            .filter(p -> p.name().equals(podName))
            .findFirst()
            .orElseThrow();
    return new PodMatch(
        pod, pod.containers().stream().filter(c -> c.name().equals(containerName)).findFirst());
  }

  @Test
  void aContainerInAKnownPodGetsEveryAttribute() {
    Workload w =
        Workloads.of(
            TRAINER,
            Optional.of(match("trainer-7d9f8b6c5-x2x9q", "trainer")),
            PYTHON,
            "other-node");
    assertThat(w.kind()).isEqualTo(Workload.Kind.KUBERNETES);
    assertThat(w.attributes())
        .isEqualTo(
            Attributes.builder()
                .put(K8S_POD_NAME, "trainer-7d9f8b6c5-x2x9q")
                .put(K8S_NAMESPACE_NAME, "ml")
                .put(K8S_POD_UID, Fixtures.TRAINER_UID)
                .put(K8S_CONTAINER_NAME, "trainer")
                .put(K8S_NODE_NAME, Fixtures.NODE)
                .put(CONTAINER_ID, Fixtures.TRAINER_ID)
                .put(CONTAINER_RUNTIME, "containerd")
                .put(PROCESS_PID, 4242L)
                .put(PROCESS_EXECUTABLE_NAME, "python3")
                .put(SERVICE_NAME, "trainer")
                .build());
  }

  @Test
  void serviceNameLabelsInOrderThenTheContainerName() {
    assertThat(Workloads.serviceName(Map.of("app", "b", "app.kubernetes.io/name", "a"), "c"))
        .isEqualTo("a");
    assertThat(Workloads.serviceName(Map.of("k8s-app", "c", "app", "b"), "x")).isEqualTo("b");
    assertThat(Workloads.serviceName(Map.of("k8s-app", "kube-dns"), "coredns"))
        .isEqualTo("kube-dns");
    assertThat(Workloads.serviceName(Map.of("app", " "), "shell")).isEqualTo("shell");
    assertThat(Workloads.serviceName(Map.of(), "shell")).isEqualTo("shell");
    assertThat(
            Workloads.of(TRAINER, Optional.of(match("debug-shell", "shell")), PYTHON, "n")
                .serviceName())
        .isEqualTo("shell");
    assertThat(
            Workloads.of(
                    TRAINER, Optional.of(match("coredns-5d78c9869d-q7m2k", "coredns")), PYTHON, "n")
                .serviceName())
        .isEqualTo("kube-dns");
  }

  @Test
  void aContainerWhosePodIsNotKnownYetKeepsTheUidFromThePath() {
    Workload w = Workloads.of(TRAINER, Optional.empty(), PYTHON, Fixtures.NODE);
    assertThat(w.kind()).isEqualTo(Workload.Kind.KUBERNETES);
    assertThat(w.attributes().asMap())
        .containsEntry(K8S_POD_UID, Fixtures.TRAINER_UID)
        .containsEntry(CONTAINER_ID, Fixtures.TRAINER_ID)
        .containsEntry(K8S_NODE_NAME, Fixtures.NODE)
        .containsEntry(SERVICE_NAME, "python3")
        .doesNotContainKey(K8S_POD_NAME);
  }

  @Test
  void aPodWithoutItsContainerIsNamedByLabelsOrPodName() {
    Workload w =
        Workloads.of(
            new CgroupOwner.Pod(Fixtures.TRAINER_UID),
            Optional.of(match("trainer-7d9f8b6c5-x2x9q", "none")),
            Optional.empty(),
            "n");
    assertThat(w.attributes().get(K8S_POD_NAME)).isEqualTo("trainer-7d9f8b6c5-x2x9q");
    assertThat(w.attributes().get(K8S_CONTAINER_NAME)).isNull();
    assertThat(w.serviceName()).isEqualTo("trainer");
    Workload debug =
        Workloads.of(
            new CgroupOwner.Pod("0b7c4d1e-9f2a-4b3c-8d5e-6f7a8b9c0d1e"),
            Optional.of(match("debug-shell", "none")),
            Optional.empty(),
            "n");
    assertThat(debug.serviceName()).isEqualTo("debug-shell");
  }

  @Test
  void aDockerContainerOutsideKubernetes() {
    Workload w =
        Workloads.of(
            new CgroupOwner.Container("ab", Optional.of("docker"), Optional.empty()),
            Optional.empty(),
            PYTHON,
            "n");
    assertThat(w.kind()).isEqualTo(Workload.Kind.CONTAINER);
    assertThat(w.attributes().asMap().keySet())
        .containsExactlyInAnyOrder(
            CONTAINER_ID, CONTAINER_RUNTIME, PROCESS_PID, PROCESS_EXECUTABLE_NAME, SERVICE_NAME);
  }

  @Test
  void aSystemdUnit() {
    Workload w =
        Workloads.of(new CgroupOwner.SystemdUnit("nginx.service"), Optional.empty(), PYTHON, "n");
    assertThat(w.kind()).isEqualTo(Workload.Kind.SYSTEMD);
    assertThat(w.serviceName()).isEqualTo("nginx");
    assertThat(w.attributes().get(SYSTEMD_UNIT)).isEqualTo("nginx.service");
    assertThat(w.attributes().get(PROCESS_PID)).isEqualTo(4242L);
    assertThat(Workloads.unitService("session-3.scope")).isEqualTo("session-3");
    assertThat(Workloads.unitService("user@1000.service")).isEqualTo("user@1000");
  }

  @Test
  void aPlainProcessAndNothingAtAll() {
    Workload p = Workloads.of(new CgroupOwner.Unknown(), Optional.empty(), PYTHON, "n");
    assertThat(p.kind()).isEqualTo(Workload.Kind.PROCESS);
    assertThat(p.attributes().asMap().keySet())
        .containsExactlyInAnyOrder(PROCESS_PID, PROCESS_EXECUTABLE_NAME, SERVICE_NAME);
    assertThat(Workloads.of(new CgroupOwner.Unknown(), Optional.empty(), Optional.empty(), "n"))
        .isEqualTo(Workload.UNKNOWN);
  }

  @Test
  void runtimeComesFromThePodWhenThePathDoesNotSayIt() {
    CgroupOwner bare =
        new CgroupOwner.Container(
            Fixtures.TRAINER_ID, Optional.empty(), Optional.of(Fixtures.TRAINER_UID));
    Workload w =
        Workloads.of(bare, Optional.of(match("trainer-7d9f8b6c5-x2x9q", "trainer")), PYTHON, "n");
    assertThat(w.attributes().get(CONTAINER_RUNTIME)).isEqualTo("containerd");
    assertThat(Workloads.SERVICE_LABELS)
        .isEqualTo(List.of("app.kubernetes.io/name", "app", "k8s-app"));
  }

  @Test
  void aSandboxReplacesTheEngineAsRuntimeAndSaysSchedIsNotObservable() {
    Workload plain =
        new Workload(
            Workload.Kind.CONTAINER,
            io.opentelemetry.api.common.Attributes.of(CONTAINER_RUNTIME, "podman"));
    assertThat(Workloads.sandboxed(plain, java.util.Optional.empty())).isSameAs(plain);
    Workload w =
        Workloads.sandboxed(
            plain,
            java.util.Optional.of(
                new dev.aiprof.api.sandbox.Sandbox(
                    dev.aiprof.api.sandbox.Sandbox.Kind.GVISOR,
                    "sandbox",
                    java.util.Optional.empty())));
    assertThat(w.attributes().get(CONTAINER_RUNTIME)).isEqualTo("runsc");
    assertThat(w.attributes().get(dev.aiprof.api.sandbox.Sandbox.SANDBOX)).isEqualTo("gvisor");
    assertThat(w.attributes().get(dev.aiprof.api.sandbox.Sandbox.SCHED_OBSERVABLE)).isFalse();
  }
}
