package dev.aiprof.agent.identity;

import static dev.aiprof.agent.identity.WorkloadKeys.CONTAINER_ID;
import static dev.aiprof.agent.identity.WorkloadKeys.K8S_CONTAINER_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.K8S_POD_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.K8S_POD_UID;
import static dev.aiprof.agent.identity.WorkloadKeys.PROCESS_EXECUTABLE_NAME;
import static dev.aiprof.agent.identity.WorkloadKeys.PROCESS_PID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver on a fixture procfs tree (no root): path → owner → pod → attributes, caching. */
class HostWorkloadResolverTest {
  static final String TRAINER_CGROUP =
      "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
          + Fixtures.TRAINER_UID.replace('-', '_')
          + ".slice/cri-containerd-"
          + Fixtures.TRAINER_ID
          + ".scope";

  @TempDir Path proc;
  final AtomicLong now = new AtomicLong();
  final PodCacheTest.Scripted source = new PodCacheTest.Scripted();
  HostWorkloadResolver resolver;

  @BeforeEach
  void tree() throws IOException {
    process(100, "python3", 5000, "1:memory:" + TRAINER_CGROUP + "\n0::" + TRAINER_CGROUP + "\n");
    process(200, "nginx", 6000, "0::/system.slice/nginx.service\n");
    process(300, "sleep", 7000, "4:memory:/process_api/8993a983dacbdf40839535e15a6a0707\n0::/\n");
    // cgroup v1 driver on a hybrid host: v2 says the runtime's unit, memory says the container
    process(
        400,
        "python3",
        8000,
        "4:memory:/kubepods/burstable/pod"
            + Fixtures.TRAINER_UID
            + "/"
            + Fixtures.TRAINER_ID
            + "\n0::/system.slice/containerd.service\n");
    source.answers.add(Fixtures.pods("pods-containerd.json"));
  }

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  void process(int pid, String exe, long start, String cgroup) throws IOException {
    Path d = Files.createDirectories(proc.resolve(Integer.toString(pid)));
    Files.writeString(d.resolve("cgroup"), cgroup);
    Files.writeString(d.resolve("comm"), exe + "\n");
    Files.writeString(
        d.resolve("stat"),
        pid + " (" + exe + ") S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 " + start + " 0 0");
    Files.deleteIfExists(d.resolve("exe"));
    Files.createSymbolicLink(d.resolve("exe"), Path.of("/usr/bin/" + exe));
  }

  HostWorkloadResolver resolver(IdentityConfig.Source s) {
    IdentityConfig c =
        IdentityConfig.builder()
            .source(s)
            .nodeName(Fixtures.NODE)
            .lookupWait(Duration.ofSeconds(10))
            .build();
    resolver =
        new HostWorkloadResolver(
            c,
            new HostPaths(proc, proc, proc),
            new CgroupMounts(Optional.empty(), Optional.empty()),
            s == IdentityConfig.Source.NONE ? PodSource.NONE : source,
            now::get);
    return resolver;
  }

  @Test
  void aContainerInAPodGetsThePodsAttributes() {
    Workload w = resolver(IdentityConfig.Source.KUBELET).resolve(100);
    assertThat(w.kind()).isEqualTo(Workload.Kind.KUBERNETES);
    assertThat(w.attributes().asMap())
        .containsEntry(K8S_POD_NAME, "trainer-7d9f8b6c5-x2x9q")
        .containsEntry(K8S_CONTAINER_NAME, "trainer")
        .containsEntry(CONTAINER_ID, Fixtures.TRAINER_ID)
        .containsEntry(PROCESS_PID, 100L)
        .containsEntry(PROCESS_EXECUTABLE_NAME, "python3");
    assertThat(w.serviceName()).isEqualTo("trainer");
  }

  @Test
  void theContainerInAV1HierarchyWinsOverTheRuntimesUnitInV2() {
    Workload w = resolver(IdentityConfig.Source.KUBELET).resolve(400);
    assertThat(w.attributes().get(K8S_CONTAINER_NAME)).isEqualTo("trainer");
  }

  @Test
  void unitsAndPlainProcesses() {
    HostWorkloadResolver r = resolver(IdentityConfig.Source.KUBELET);
    assertThat(r.resolve(200).kind()).isEqualTo(Workload.Kind.SYSTEMD);
    assertThat(r.resolve(200).serviceName()).isEqualTo("nginx");
    assertThat(r.resolve(300).kind()).isEqualTo(Workload.Kind.PROCESS);
    assertThat(r.resolve(300).serviceName()).isEqualTo("sleep");
    // units and processes never ask the pod source
    assertThat(source.calls.get()).isLessThanOrEqualTo(1);
  }

  @Test
  void resultsAreCachedPerPid() {
    HostWorkloadResolver r = resolver(IdentityConfig.Source.KUBELET);
    Workload first = r.resolve(100);
    proc.resolve("100/cgroup").toFile().delete();
    assertThat(r.resolve(100)).isSameAs(first);
    assertThat(r.stats().processes()).isEqualTo(1);
    r.forget(100);
    assertThat(r.resolve(100).kind()).isEqualTo(Workload.Kind.UNKNOWN);
  }

  @Test
  void aDeadPidIsUnknownButKeepsItsPid() {
    Workload w = resolver(IdentityConfig.Source.KUBELET).resolve(999);
    assertThat(w.kind()).isEqualTo(Workload.Kind.UNKNOWN);
    assertThat(w.attributes().get(PROCESS_PID)).isEqualTo(999L);
  }

  @Test
  void theSweepDropsDeadAndReusedPids() throws IOException {
    HostWorkloadResolver r = resolver(IdentityConfig.Source.KUBELET);
    r.resolve(100);
    r.resolve(200);
    r.resolve(300);
    process(200, "bash", 9999, "0::/user.slice/user-0.slice/session-3.scope\n"); // pid reused
    Files.delete(proc.resolve("300/stat")); // died
    r.sweep();
    assertThat(r.stats().processes()).isEqualTo(1);
    assertThat(r.resolve(200).serviceName()).isEqualTo("session-3");
  }

  @Test
  void aResultWithoutItsPodNameIsKeptOnlyUntilTheNextRefreshMayRun() {
    source.answers.clear();
    source.answers.add(new IOException("kubelet down"));
    source.answers.add(Fixtures.pods("pods-containerd.json"));
    HostWorkloadResolver r = resolver(IdentityConfig.Source.KUBELET);
    Workload incomplete = r.resolve(100);
    assertThat(incomplete.attributes().get(K8S_POD_UID)).isEqualTo(Fixtures.TRAINER_UID);
    assertThat(incomplete.attributes().get(K8S_POD_NAME)).isNull();
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(r.resolve(100).attributes().get(K8S_POD_NAME)).isEqualTo("trainer-7d9f8b6c5-x2x9q");
    assertThat(r.stats().podRefreshFailures()).isEqualTo(1);
  }

  @Test
  void withoutASourceContainersKeepTheirIdsAndPodUids() {
    Workload w = resolver(IdentityConfig.Source.NONE).resolve(100);
    assertThat(w.kind()).isEqualTo(Workload.Kind.KUBERNETES);
    assertThat(w.attributes().get(K8S_POD_UID)).isEqualTo(Fixtures.TRAINER_UID);
    assertThat(w.attributes().get(K8S_POD_NAME)).isNull();
    assertThat(source.calls.get()).isZero();
  }

  @Test
  void unnamedCgroupIdsAreUnknown() {
    assertThat(resolver(IdentityConfig.Source.NONE).resolveCgroup(12345, 0))
        .isEqualTo(Workload.UNKNOWN);
  }
}
