package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.correlation.CorrelatedPhase;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.HostPaths;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.otlp.OtlpCollector;
import dev.aiprof.collectors.phase.PhaseOrigin;
import dev.aiprof.collectors.sched.SchedCollector;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.PhasedWorkload;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.WorkloadProcess;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proof of the correlation: a workload runs phases with injected causes — {@code load} (cold
 * page-cache reads: blocked), {@code compute} (a rival busy thread on the same CPU: runqueue),
 * {@code wait} (sleep), {@code io} (O_DIRECT reads: blocked) — marked through libaiprof.so, and
 * measures each phase with the kernel's own accounting (schedstat, /proc/self/io). The correlated
 * phases must put at least 90% of each injected stall's time (as the kernel accounted it) in the
 * right phase and kind, and at most 5% of any phase's wall time in a kind not injected there
 * (runqueue waits count as misattributed only beyond the kernel's own run_delay: other processes
 * may really delay any phase). Two copies of the workload in two pod-like cgroups must keep their
 * numbers apart.
 */
@Requires(
    root = true,
    tools = {"taskset", "make", "gcc"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class GroundTruthIT {
  private static final int ROUNDS = 3;
  private static Path data;

  @BeforeAll
  static void dataFile() throws IOException {
    data = Files.createTempFile(Path.of("/var/tmp"), "aiprof-groundtruth-", ".bin");
    byte[] chunk = new byte[1 << 20];
    new Random(42).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(data)) {
      for (int i = 0; i < 128; i++) {
        out.write(chunk);
      }
    }
  }

  @AfterAll
  static void removeDataFile() throws IOException {
    Files.deleteIfExists(data);
  }

  @Test
  void markerPhasesOfTwoPodsGetTheirInjectedStallsAndStayApart() throws Exception {
    Path lib = Repo.markerLibrary();
    long self = ProcessHandle.current().pid();
    List<CorrelatedPhase> out = Collections.synchronizedList(new ArrayList<>());
    String uidA = "0a1b2c3d-0000-4000-8000-00000000000a";
    String uidB = "0a1b2c3d-0000-4000-8000-00000000000b";
    try (CgroupDir podA = CgroupDir.create(podPath(self, uidA, "a"));
        CgroupDir podB = CgroupDir.create(podPath(self, uidB, "b"));
        Session s = Session.start(Map.of("marker.libraries", lib.toString()), out::add);
        WorkloadProcess a = workload(0, lib, "-");
        WorkloadProcess b = workload(1, lib, "-")) {
      podA.add(a.pid());
      podB.add(b.pid());
      a.send("go");
      b.send("go");
      List<GroundTruth> truthA = GroundTruth.readAll(a);
      List<GroundTruth> truthB = GroundTruth.readAll(b);
      assertThat(truthA).hasSize(4 * ROUNDS);
      assertThat(truthB).hasSize(4 * ROUNDS);
      awaitPhases(out, 8 * ROUNDS);
      check(truthA, phasesOf(out, (int) a.pid(), PhaseOrigin.MARKER));
      check(truthB, phasesOf(out, (int) b.pid(), PhaseOrigin.MARKER));
      assertThat(Files.readString(Path.of("/proc/" + a.pid() + "/cgroup")))
          .contains(uidA.replace('-', '_'));
      assertThat(Files.readString(Path.of("/proc/" + b.pid() + "/cgroup")))
          .contains(uidB.replace('-', '_'));
    }
  }

  @Test
  void phasesMarkedThroughTheLibraryAndThroughOtlpSpansBothGetThem() throws Exception {
    Path lib = Repo.markerLibrary();
    List<CorrelatedPhase> out = Collections.synchronizedList(new ArrayList<>());
    Map<String, String> settings =
        Map.of(
            "marker.libraries",
            lib.toString(),
            "otlp.grpc-address",
            "off",
            "otlp.http-address",
            "127.0.0.1:0");
    try (Session s = Session.start(settings, out::add)) {
      String endpoint = "http://127.0.0.1:" + s.otlpPort() + "/v1/traces";
      try (WorkloadProcess w = workload(1, lib, endpoint)) {
        s.sched()
            .follow((int) w.pid()); // as `aiprof profile --pid` does: spans arrive after the fact
        w.send("go");
        List<GroundTruth> truth = GroundTruth.readAll(w);
        assertThat(truth).hasSize(4 * ROUNDS);
        awaitPhases(out, 8 * ROUNDS);
        check(truth, phasesOf(out, (int) w.pid(), PhaseOrigin.MARKER));
        List<CorrelatedPhase> spans = phasesOf(out, (int) w.pid(), PhaseOrigin.OTLP);
        check(truth, spans);
        assertThat(spans).allSatisfy(c -> assertThat(c.phase().span().traceId()).hasSize(32));
      }
    }
  }

  /** The checks of the issue, phase by phase, against the workload's own kernel accounting. */
  static void check(List<GroundTruth> truth, List<CorrelatedPhase> phases) {
    assertThat(phases).hasSize(truth.size());
    Map<String, Integer> seen = new HashMap<>();
    for (CorrelatedPhase c : phases) {
      String name = c.phase().name();
      int round = seen.merge(name, 1, Integer::sum) - 1;
      GroundTruth t =
          truth.stream()
              .filter(g -> g.name().equals(name) && g.round() == round)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ground truth for " + name));
      String what = name + " round " + round + " " + c.times() + " vs " + t;
      assertThat(c.phase().tid()).as(what).isEqualTo(t.tid());
      // Span times come from the workload's wall clock: allow the clock conversion 1 ms.
      long slack = c.phase().origin() == PhaseOrigin.OTLP ? 1_000_000 : 0;
      assertThat(c.phase().startNs()).as(what).isBetween(t.startNs() - slack, t.endNs());
      assertThat(c.phase().endNs()).as(what).isBetween(t.startNs(), t.endNs() + slack);
      long wall = c.phase().durationNs();
      long runq = c.time("runqueue");
      long blocked = c.time("blocked");
      long sleep = c.time("sleep") + c.time("other");
      // Runqueue waits the kernel itself saw are real in any phase (other processes share the
      // CPU); only runqueue time beyond the kernel's is misattributed.
      long extraRunq = Math.max(0, runq - t.runDelayNs());
      long injectedRef;
      long injected;
      long misattributed;
      switch (name) {
        case "compute" -> {
          injectedRef = t.runDelayNs();
          injected = runq;
          misattributed = blocked + sleep;
        }
        case "wait" -> {
          injectedRef = t.offNs();
          injected = sleep;
          misattributed = blocked + extraRunq;
        }
        default -> { // load, io
          injectedRef = t.offNs();
          injected = blocked;
          misattributed = sleep + extraRunq;
          assertThat(t.readBytes()).as("the %s phase read from the disk", name).isPositive();
        }
      }
      System.out.printf(
          "%-8s r%d pid %d: injected %.1f ms of %.1f ms (kernel: %.1f ms), runqueue %.2f ms"
              + " (kernel %.2f ms), misattributed %.2f ms%n",
          name,
          round,
          c.phase().pid(),
          injected / 1e6,
          wall / 1e6,
          injectedRef / 1e6,
          runq / 1e6,
          t.runDelayNs() / 1e6,
          misattributed / 1e6);
      assertThat(injectedRef).as("the injected stall happened: " + what).isGreaterThan(wall / 4);
      assertThat((double) injected)
          .as("injected stall attributed: " + what)
          .isGreaterThanOrEqualTo(0.9 * injectedRef);
      assertThat((double) misattributed)
          .as("time put in kinds not injected here: " + what)
          .isLessThanOrEqualTo(0.05 * wall);
      assertThat((double) runq)
          .as("runqueue wait vs the kernel's run_delay: " + what)
          .isCloseTo(
              t.runDelayNs(),
              org.assertj.core.data.Offset.offset(Math.max(1_000_000, 0.1 * t.runDelayNs())));
    }
  }

  private static List<CorrelatedPhase> phasesOf(
      List<CorrelatedPhase> all, int pid, PhaseOrigin origin) {
    synchronized (all) {
      return all.stream()
          .filter(c -> c.phase().pid() == pid && c.phase().origin() == origin)
          .sorted(java.util.Comparator.comparingLong(c -> c.phase().startNs()))
          .toList();
    }
  }

  private static void awaitPhases(List<CorrelatedPhase> out, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (out.size() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(out).as("correlated phases").hasSizeGreaterThanOrEqualTo(n);
  }

  private static WorkloadProcess workload(int cpu, Path lib, String otlp) {
    return WorkloadProcess.start(
        null,
        PhasedWorkload.class,
        Integer.toString(cpu),
        Integer.toString(ROUNDS),
        data.toString(),
        lib == null ? "-" : lib.toString(),
        otlp);
  }

  private static String podPath(long self, String uid, String container) {
    return "kubepods-"
        + self
        + ".slice/kubepods-burstable-pod"
        + uid.replace('-', '_')
        + ".slice/cri-containerd-"
        + container.repeat(64)
        + ".scope";
  }

  /** The agent's pieces for phases, as `aiprof profile` wires them. */
  record Session(SchedCollector sched, PhaseSession phases, OtlpCollector otlp)
      implements AutoCloseable {
    int otlpPort() {
      return otlp.httpAddress().orElseThrow().getPort();
    }

    static Session start(
        Map<String, String> settings, java.util.function.Consumer<CorrelatedPhase> sink)
        throws Exception {
      Features f = new FeatureProber().probe();
      CollectorContext ctx =
          new CollectorContext(f, HostPaths.defaults(), settings, Duration.ofSeconds(1));
      SchedCollector sched = new SchedCollector();
      sched.start(ctx);
      List<Collector> sources = new ArrayList<>();
      sources.add(new MarkerCollector());
      OtlpCollector otlp = new OtlpCollector();
      if (settings.containsKey("otlp.http-address")) {
        sources.add(otlp);
      }
      PhaseSession p =
          new PhaseSession(sched, sources, ctx, pid -> Attributes.empty(), sink::accept);
      assertThat(p.notStarted()).isEmpty();
      return new Session(sched, p, otlp);
    }

    @Override
    public void close() {
      phases.close();
      sched.close();
    }
  }

  static Predicate<CorrelatedPhase> named(String n) {
    return c -> c.phase().name().equals(n);
  }
}
