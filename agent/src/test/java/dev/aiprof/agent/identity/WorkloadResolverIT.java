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

import dev.aiprof.api.HostPaths;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.Requires;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver end to end, as root: real cgroup v2 directories made by the test (a pod-like
 * hierarchy, a systemd-like unit, a plain group), real processes moved into them, and the recorded
 * kubelet and API server responses served over HTTPS on loopback by the test.
 */
@Requires(root = true, tools = "sleep")
class WorkloadResolverIT {
  static final String POD_SLICE =
      "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
          + Fixtures.TRAINER_UID.replace('-', '_')
          + ".slice";
  static final String SCOPE = POD_SLICE + "/cri-containerd-" + Fixtures.TRAINER_ID + ".scope";

  @TempDir Path dir;
  final KubeServer server = KubeServer.start("good-token");

  @AfterEach
  void stop() {
    server.close();
  }

  /** A real child process, killed on close. */
  record Child(Process process) implements AutoCloseable {
    static Child sleep() throws IOException {
      return new Child(new ProcessBuilder("sleep", "60").start());
    }

    int pid() {
      return (int) process.pid();
    }

    @Override
    public void close() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  IdentityConfig.Builder kubelet() throws IOException {
    return IdentityConfig.builder()
        .source(IdentityConfig.Source.KUBELET)
        .nodeName(Fixtures.NODE)
        .kubeletUrl(server.uri("/pods"))
        .tokenFile(KubeServer.tokenFile(dir, "good-token"))
        .caFile(TestTls.caFile());
  }

  static WorkloadResolver create(IdentityConfig c) {
    HostPaths paths = HostPaths.defaults();
    return WorkloadResolver.create(c, paths, CgroupMounts.read(paths.proc("self", "mountinfo")));
  }

  static Attributes trainer(Child p) {
    return Attributes.builder()
        .put(K8S_POD_NAME, "trainer-7d9f8b6c5-x2x9q")
        .put(K8S_NAMESPACE_NAME, "ml")
        .put(K8S_POD_UID, Fixtures.TRAINER_UID)
        .put(K8S_CONTAINER_NAME, "trainer")
        .put(K8S_NODE_NAME, Fixtures.NODE)
        .put(CONTAINER_ID, Fixtures.TRAINER_ID)
        .put(CONTAINER_RUNTIME, "containerd")
        .put(SERVICE_NAME, "trainer")
        .putAll(
            p == null
                ? Attributes.empty()
                : Attributes.of(PROCESS_PID, (long) p.pid(), PROCESS_EXECUTABLE_NAME, "sleep"))
        .build();
  }

  @Test
  void aProcessInAPodCgroupGetsThePodFromTheKubelet() throws Exception {
    server.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
    try (CgroupDir cg = CgroupDir.create(SCOPE);
        Child p = Child.sleep()) {
      cg.add(p.pid());
      try (WorkloadResolver r = create(kubelet().lookupWait(Duration.ofSeconds(5)).build())) {
        Workload w = r.resolve(p.pid());
        assertThat(w.kind()).isEqualTo(Workload.Kind.KUBERNETES);
        assertThat(w.attributes()).isEqualTo(trainer(p));
        // the same pod from the cgroup id BPF reports: the directory's inode
        Workload byId = r.resolveCgroup(cg.id(), 0);
        assertThat(byId.attributes()).isEqualTo(trainer(null));
        assertThat(r.resolve(p.pid())).isSameAs(w);
      }
      assertThat(server.requests()).containsExactly("/pods");
    }
  }

  @Test
  void anUnknownContainerRefreshesWhenTheRateLimitAllows() throws Exception {
    server.route(
        "/pods",
        KubeServer.sequence(
            Fixtures.without("pods-containerd.json", Fixtures.TRAINER_UID),
            Fixtures.bytes("pods-containerd.json")));
    try (CgroupDir cg = CgroupDir.create(SCOPE);
        Child p = Child.sleep()) {
      cg.add(p.pid());
      IdentityConfig c =
          kubelet()
              .refreshInterval(Duration.ofSeconds(5))
              .lookupWait(Duration.ofSeconds(5))
              .build();
      try (WorkloadResolver r = create(c)) {
        poll(() -> r.stats().podRefreshes() == 1); // the start-up refresh: no trainer yet
        Workload first = r.resolve(p.pid());
        assertThat(first.attributes().get(K8S_POD_UID)).isEqualTo(Fixtures.TRAINER_UID);
        assertThat(first.attributes().get(CONTAINER_ID)).isEqualTo(Fixtures.TRAINER_ID);
        assertThat(first.attributes().get(K8S_POD_NAME)).isNull();
        assertThat(r.stats().rateLimited()).isEqualTo(1);
        assertThat(server.requests()).hasSize(1);
        poll(() -> r.resolve(p.pid()).attributes().get(K8S_POD_NAME) != null);
        assertThat(r.resolve(p.pid()).attributes()).isEqualTo(trainer(p));
        assertThat(server.requests()).hasSize(2);
      }
    }
  }

  @Test
  void aFloodOfUnknownContainersCannotHammerTheKubelet() throws Exception {
    server.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
    List<CgroupDir> dirs = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        String id = "%016x".formatted(ThreadLocalRandom.current().nextLong()).repeat(4);
        dirs.add(CgroupDir.create(POD_SLICE + "/cri-containerd-" + id + ".scope"));
      }
      Duration interval = Duration.ofMillis(500);
      IdentityConfig c =
          kubelet().refreshInterval(interval).lookupWait(Duration.ofSeconds(5)).build();
      long lookups = 0;
      long t0 = System.nanoTime();
      try (WorkloadResolver r = create(c)) {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
          List<Future<Long>> done = new ArrayList<>();
          for (int t = 0; t < 4; t++) {
            done.add(threads.submit(() -> flood(r, dirs, t0 + Duration.ofSeconds(2).toNanos())));
          }
          for (Future<Long> f : done) {
            lookups += f.get();
          }
        } finally {
          threads.shutdownNow();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int requests = server.requests().size();
        System.out.printf(
            "flood: %d lookups of 30 unknown container ids in %.2f s -> %d kubelet requests,"
                + " %d rate-limited%n",
            lookups, elapsed, requests, r.stats().rateLimited());
        assertThat(requests).isLessThanOrEqualTo(2 + (int) Math.ceil(elapsed / 0.5));
        assertThat(r.stats().rateLimited()).isPositive();
        assertThat(lookups).isGreaterThan(10L * requests);
      }
    } finally {
      for (CgroupDir d : dirs.reversed()) {
        d.close();
      }
    }
  }

  /** Resolves the cgroups round robin until the deadline; checks each answer. */
  static long flood(WorkloadResolver r, List<CgroupDir> dirs, long deadline) {
    long n = 0;
    while (System.nanoTime() < deadline) {
      for (CgroupDir d : dirs) {
        Workload w = r.resolveCgroup(d.id(), 0);
        // the container is unknown, its pod (by the uid in the path) is not
        assertThat(w.attributes().get(K8S_POD_NAME)).isEqualTo("trainer-7d9f8b6c5-x2x9q");
        assertThat(w.attributes().get(K8S_CONTAINER_NAME)).isNull();
        assertThat(d.path().getFileName().toString()).contains(w.attributes().get(CONTAINER_ID));
        n++;
      }
    }
    return n;
  }

  @Test
  void theApiServerWatchNamesThePod() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    server.route(
        "/api/v1/pods",
        (ex, n) -> {
          if (!ex.getRequestURI().getQuery().contains("watch=true")) {
            KubeServer.send(ex, 200, Fixtures.bytes("apiserver-list.json"));
            return;
          }
          ex.sendResponseHeaders(200, 0);
          OutputStream out = ex.getResponseBody();
          out.write(Fixtures.bytes("apiserver-watch.jsonl"));
          out.flush();
          try {
            hold.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          out.close();
        });
    IdentityConfig c =
        IdentityConfig.builder()
            .source(IdentityConfig.Source.APISERVER)
            .nodeName(Fixtures.NODE)
            .apiServerUrl(server.uri(""))
            .tokenFile(KubeServer.tokenFile(dir, "good-token"))
            .caFile(TestTls.caFile())
            .refreshInterval(Duration.ofMillis(200))
            .build();
    try (CgroupDir cg = CgroupDir.create(SCOPE);
        Child p = Child.sleep()) {
      cg.add(p.pid());
      try (WorkloadResolver r = create(c)) {
        poll(() -> "trainer".equals(r.resolve(p.pid()).attributes().get(K8S_CONTAINER_NAME)));
        assertThat(r.resolve(p.pid()).attributes()).isEqualTo(trainer(p));
      } finally {
        hold.countDown();
      }
    }
    assertThat(server.requests().get(0))
        .isEqualTo("/api/v1/pods?fieldSelector=spec.nodeName%3Dgpu-node-1");
    assertThat(server.requests().get(1)).contains("watch=true").contains("resourceVersion=48213");
  }

  @Test
  void aProcessInASystemdUnitIsNamedAfterTheUnit() throws Exception {
    try (CgroupDir cg = CgroupDir.create("aiprof-test.slice/aiprof-test-unit.service");
        Child p = Child.sleep();
        WorkloadResolver r = create(IdentityConfig.builder().nodeName(Fixtures.NODE).build())) {
      cg.add(p.pid());
      Workload w = r.resolve(p.pid());
      assertThat(w.kind()).isEqualTo(Workload.Kind.SYSTEMD);
      assertThat(w.attributes())
          .isEqualTo(
              Attributes.builder()
                  .put(SYSTEMD_UNIT, "aiprof-test-unit.service")
                  .put(SERVICE_NAME, "aiprof-test-unit")
                  .put(PROCESS_PID, (long) p.pid())
                  .put(PROCESS_EXECUTABLE_NAME, "sleep")
                  .build());
      assertThat(r.resolveCgroup(cg.id(), 0).attributes())
          .isEqualTo(
              Attributes.of(
                  SYSTEMD_UNIT, "aiprof-test-unit.service", SERVICE_NAME, "aiprof-test-unit"));
    }
  }

  @Test
  void aPlainProcessIsNamedAfterItsExecutableAndADeadOneIsUnknown() throws Exception {
    try (CgroupDir cg = CgroupDir.create("aiprof-test-plain");
        WorkloadResolver r = create(IdentityConfig.builder().nodeName(Fixtures.NODE).build())) {
      int pid;
      try (Child p = Child.sleep()) {
        cg.add(p.pid());
        pid = p.pid();
        Workload w = r.resolve(pid);
        assertThat(w.kind()).isEqualTo(Workload.Kind.PROCESS);
        assertThat(w.attributes())
            .isEqualTo(
                Attributes.of(
                    PROCESS_PID,
                    (long) pid,
                    PROCESS_EXECUTABLE_NAME,
                    "sleep",
                    SERVICE_NAME,
                    "sleep"));
        assertThat(r.resolveCgroup(cg.id(), 0)).isEqualTo(Workload.UNKNOWN);
      }
      r.forget(pid);
      assertThat(r.resolve(pid).kind()).isEqualTo(Workload.Kind.UNKNOWN);
    }
  }

  static void poll(Supplier<Boolean> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(20);
    }
  }
}
