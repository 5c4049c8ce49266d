package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.compose.AgentHost;
import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.identity.IdentitySettings;
import dev.aiprof.agent.identity.WorkloadResolver;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.category.Category;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.sched.SchedCounter;
import dev.aiprof.collectors.otlp.OtlpCollector;
import dev.aiprof.collectors.sched.SchedCollector;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.LoopDevice;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.PhasedWorkload;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.WorkloadProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proof of the correlation: a workload runs phases with injected causes — {@code load} (cold
 * page-cache reads: blocked), {@code compute} (a rival busy thread on the same CPU: runqueue),
 * {@code wait} (sleep), {@code io} (O_DIRECT reads: blocked) — marked once through libaiprof.so and
 * once through OTLP spans, and measures each phase with the kernel's own accounting (schedstat,
 * /proc/self/io). The correlated phases must put at least 90% of each injected stall's time (as the
 * kernel accounted it) in the right phase and kind, and at most 5% of any phase's wall time in a
 * kind not injected there (runqueue waits count as misattributed only beyond the kernel's own
 * run_delay: other processes may really delay any phase). Two copies of the workload in two
 * pod-like cgroups must keep their numbers apart.
 */
@Requires(
    root = true,
    tools = {"taskset", "make", "gcc", "losetup"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class GroundTruthIT {
  private static final int ROUNDS = 3;
  private static final io.opentelemetry.api.common.AttributeKey<String> POD_UID =
      io.opentelemetry.api.common.AttributeKey.stringKey("k8s.pod.uid");
  // One file per CPU, so that one workload's reads never fill the page cache for the other's.
  private static final List<Path> DATA = new ArrayList<>();

  @BeforeAll
  static void dataFiles() throws IOException {
    byte[] chunk = new byte[1 << 20];
    new Random(42).nextBytes(chunk);
    for (int cpu = 0; cpu < 2; cpu++) {
      Path f = Files.createTempFile(Path.of("/var/tmp"), "aiprof-groundtruth-", ".bin");
      DATA.add(f);
      try (OutputStream out = Files.newOutputStream(f)) {
        for (int i = 0; i < 128; i++) {
          out.write(chunk);
        }
      }
    }
  }

  @AfterAll
  static void removeDataFiles() throws IOException {
    for (Path f : DATA) {
      Files.deleteIfExists(f);
    }
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
      awaitPhases(out, (int) a.pid(), PhaseOrigin.MARKER, 4 * ROUNDS);
      awaitPhases(out, (int) b.pid(), PhaseOrigin.MARKER, 4 * ROUNDS);
      System.out.println(s.health());
      check(truthA, phasesOf(out, (int) a.pid(), PhaseOrigin.MARKER), s);
      check(truthB, phasesOf(out, (int) b.pid(), PhaseOrigin.MARKER), s);
      assertThat(phasesOf(out, (int) a.pid(), PhaseOrigin.MARKER))
          .allSatisfy(c -> assertThat(c.workload().get(POD_UID)).isEqualTo(uidA));
      assertThat(phasesOf(out, (int) b.pid(), PhaseOrigin.MARKER))
          .allSatisfy(c -> assertThat(c.workload().get(POD_UID)).isEqualTo(uidB));
    }
  }

  @Test
  void phasesMarkedThroughOtlpSpansGetTheirInjectedStalls() throws Exception {
    List<CorrelatedPhase> out = Collections.synchronizedList(new ArrayList<>());
    Map<String, String> settings =
        Map.of("otlp.grpc-address", "off", "otlp.http-address", "127.0.0.1:0");
    try (Session s = Session.start(settings, out::add)) {
      String endpoint = "http://127.0.0.1:" + s.otlpPort() + "/v1/traces";
      try (WorkloadProcess w = workload(1, null, endpoint)) {
        // As `aiprof profile --pid` does: spans only arrive once their phase has ended.
        assertThat(s.phases().follows().follow((int) w.pid())).isEqualTo(FollowOutcome.FOLLOWED);
        w.send("go");
        List<GroundTruth> truth = GroundTruth.readAll(w);
        assertThat(truth).hasSize(4 * ROUNDS);
        awaitPhases(out, (int) w.pid(), PhaseOrigin.OTLP, 4 * ROUNDS);
        System.out.println(s.health());
        List<CorrelatedPhase> spans = phasesOf(out, (int) w.pid(), PhaseOrigin.OTLP);
        check(truth, spans, s);
        assertThat(spans).allSatisfy(c -> assertThat(c.phase().span().traceId()).hasSize(32));
      }
    }
  }

  /**
   * I/O per phase, two pods kept apart: each pod's workload ({@link DirectIoPhases}) writes and
   * reads known O_DIRECT blocks on a loop device of its own, in marker phases, and reads its worker
   * thread's own accounting around each phase. Each phase's bytes read and written (fileio) must
   * equal the thread's {@code rchar}/{@code wchar} deltas, its block bytes (blockio) the {@code
   * read_bytes}/{@code write_bytes} deltas, and its block-I/O wait must be the device's own time
   * for those requests ({@code /sys/block/loopN/stat} read and write ticks, ms) and no more than
   * the time schedstat says the thread was off a CPU; the other pod's I/O (other sizes, another
   * device) must show nowhere.
   */
  @Test
  void ioPhasesOfTwoPodsMatchTheirOwnAccountingAndStayApart() throws Exception {
    Path lib = Repo.markerLibrary();
    long self = ProcessHandle.current().pid();
    List<CorrelatedPhase> out = Collections.synchronizedList(new ArrayList<>());
    String uidA = "0a1b2c3d-da54-4000-8000-00000000000a";
    String uidB = "0a1b2c3d-da54-4000-8000-00000000000b";
    Path dirA = Files.createTempDirectory(Path.of("/var/tmp"), "aiprof-dash-gt-a-");
    Path dirB = Files.createTempDirectory(Path.of("/var/tmp"), "aiprof-dash-gt-b-");
    try (LoopDevice loopA = LoopDevice.create(dirA, 8 << 20);
        LoopDevice loopB = LoopDevice.create(dirB, 8 << 20);
        CgroupDir podA = CgroupDir.create(podPath(self, uidA, "d"));
        CgroupDir podB = CgroupDir.create(podPath(self, uidB, "e"));
        Session s =
            Session.start(
                Map.of("marker.libraries", lib.toString()), Set.of("blockio", "fileio"), out::add);
        WorkloadProcess a = ioWorkload(loopA, 64 << 10, 12, 24, lib);
        WorkloadProcess b = ioWorkload(loopB, 128 << 10, 5, 9, lib)) {
      podA.add(a.pid());
      podB.add(b.pid());
      s.phases()
          .offered("marker", dev.aiprof.collectors.marker.MarkerCollector.class)
          .orElseThrow()
          .scan();
      LoopDevice.Stat beforeA = loopA.stat();
      LoopDevice.Stat beforeB = loopB.stat();
      long ticksA = ticks(loopA);
      long ticksB = ticks(loopB);
      a.send("go");
      b.send("go");
      List<IoTruth> truthA = IoTruth.readAll(a);
      List<IoTruth> truthB = IoTruth.readAll(b);
      assertThat(truthA).hasSize(2 * ROUNDS);
      assertThat(truthB).hasSize(2 * ROUNDS);
      awaitPhases(out, (int) a.pid(), PhaseOrigin.MARKER, 2 * ROUNDS);
      awaitPhases(out, (int) b.pid(), PhaseOrigin.MARKER, 2 * ROUNDS);
      // The devices' own view of the whole run: every request is the pod's own.
      LoopDevice.Stat dA = loopA.stat().minus(beforeA);
      LoopDevice.Stat dB = loopB.stat().minus(beforeB);
      assertThat(dA.writeSectors() * 512).isEqualTo((long) ROUNDS * 12 * (64 << 10));
      assertThat(dB.writeSectors() * 512).isEqualTo((long) ROUNDS * 5 * (128 << 10));
      List<CorrelatedPhase> phasesA = phasesOf(out, (int) a.pid(), PhaseOrigin.MARKER);
      List<CorrelatedPhase> phasesB = phasesOf(out, (int) b.pid(), PhaseOrigin.MARKER);
      checkIo(truthA, phasesA, ticks(loopA) - ticksA);
      checkIo(truthB, phasesB, ticks(loopB) - ticksB);
      assertThat(phasesA).allSatisfy(c -> assertThat(c.workload().get(POD_UID)).isEqualTo(uidA));
      assertThat(phasesB).allSatisfy(c -> assertThat(c.workload().get(POD_UID)).isEqualTo(uidB));
    } finally {
      Files.deleteIfExists(dirA);
      Files.deleteIfExists(dirB);
    }
  }

  private static final io.opentelemetry.api.common.AttributeKey<Long> BLOCK_READ =
      io.opentelemetry.api.common.AttributeKey.longKey("aiprof.blockio.read_bytes");
  private static final io.opentelemetry.api.common.AttributeKey<Long> BLOCK_WRITTEN =
      io.opentelemetry.api.common.AttributeKey.longKey("aiprof.blockio.written_bytes");

  /** Each I/O phase against its worker's own counters; the device's ticks bound the waits. */
  private static void checkIo(List<IoTruth> truth, List<CorrelatedPhase> phases, long deviceMs) {
    assertThat(phases).hasSize(truth.size());
    org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
    Map<String, Integer> seen = new HashMap<>();
    long waitNs = 0;
    for (CorrelatedPhase c : phases) {
      String name = c.phase().name();
      int round = seen.merge(name, 1, Integer::sum) - 1;
      IoTruth t =
          truth.stream()
              .filter(g -> g.name().equals(name) && g.round() == round)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ground truth for " + name));
      long wait = c.value(Category.BLOCK_IO_WAIT);
      waitNs += wait;
      String what = name + " round " + round + " " + c.values() + " " + c.attributes() + " vs " + t;
      System.out.printf(
          "%-6s r%d pid %d: read %d (rchar %d), written %d (wchar %d), block read %d (read_bytes"
              + " %d), block written %d (write_bytes %d), block-I/O wait %.2f ms (slept %.2f ms"
              + " in %.2f ms, %.2f ms of them outside the phase)%n",
          name,
          round,
          c.phase().pid(),
          c.value(Category.BYTES_READ),
          t.rchar(),
          c.value(Category.BYTES_WRITTEN),
          t.wchar(),
          c.attributes().get(BLOCK_READ),
          t.readBytes(),
          c.attributes().get(BLOCK_WRITTEN),
          t.writeBytes(),
          wait / 1e6,
          t.offNs() / 1e6,
          t.bracketNs() / 1e6,
          t.outsideNs() / 1e6);
      soft.assertThat(c.phase().tid()).as(what).isEqualTo(t.tid());
      soft.assertThat(c.value(Category.BYTES_READ)).as("bytes read: " + what).isEqualTo(t.rchar());
      soft.assertThat(c.value(Category.BYTES_WRITTEN))
          .as("bytes written: " + what)
          .isEqualTo(t.wchar());
      soft.assertThat(c.attributes().get(BLOCK_READ))
          .as("block bytes read: " + what)
          .isEqualTo(t.readBytes());
      soft.assertThat(c.attributes().get(BLOCK_WRITTEN))
          .as("block bytes written: " + what)
          .isEqualTo(t.writeBytes());
      soft.assertThat(t.rchar() + t.wchar()).as("the phase did I/O: " + what).isPositive();
      // One thread, synchronous requests: the requests' time in flight is time the thread slept
      // (schedstat: neither on a CPU nor waiting for one), and most of that sleep (the rest:
      // submitting, waking up; and the bracket's time outside the phase, where it may sleep too).
      soft.assertThat(wait)
          .as("block-I/O wait within the time the thread slept: " + what)
          .isPositive()
          .isLessThanOrEqualTo(t.offNs() + 500_000);
      soft.assertThat((double) wait)
          .as("block-I/O wait is most of the time the thread slept in the phase: " + what)
          .isGreaterThanOrEqualTo(0.5 * (t.offNs() - t.outsideNs()));
    }
    // The disk's own time for the pod's requests (ms, summed over requests), warm-up included.
    System.out.printf(
        "block-I/O wait of the phases %.2f ms, the device's read+write ticks %d ms%n",
        waitNs / 1e6, deviceMs);
    soft.assertThat((double) waitNs)
        .as("phases' block-I/O wait vs the device's ticks")
        .isLessThanOrEqualTo((deviceMs + 1) * 1e6);
    soft.assertThat((double) waitNs)
        .as("phases' block-I/O wait vs the device's ticks")
        .isGreaterThanOrEqualTo(0.8 * deviceMs * 1e6 - 2e6);
    soft.assertAll();
  }

  /** Read plus write ticks (ms) of the device: fields 4 and 8 of its stat. */
  private static long ticks(LoopDevice d) throws IOException {
    String[] f = Files.readString(Path.of("/sys/block", d.name(), "stat")).trim().split("\\s+");
    return Long.parseLong(f[3]) + Long.parseLong(f[7]);
  }

  /** What {@link DirectIoPhases} measured about one phase. */
  record IoTruth(
      String name,
      int round,
      int tid,
      long startNs,
      long endNs,
      long bracketNs,
      long onCpuNs,
      long runDelayNs,
      long rchar,
      long wchar,
      long readBytes,
      long writeBytes) {
    long wallNs() {
      return endNs - startNs;
    }

    /** Time the thread slept between the two schedstat reads: the phase's sleeps and more. */
    long offNs() {
      return bracketNs - onCpuNs - runDelayNs;
    }

    /** Time between the reads but outside the phase: it may hold up to this much other sleep. */
    long outsideNs() {
      return bracketNs - wallNs();
    }

    static List<IoTruth> readAll(WorkloadProcess w) {
      List<IoTruth> out = new ArrayList<>();
      String line;
      while ((line = w.readLine()) != null && !line.equals("done")) {
        if (line.startsWith("phase ")) {
          String[] f = line.split(" ");
          long[] v = new long[10];
          for (int i = 0; i < 10; i++) {
            v[i] = Long.parseLong(f[i + 3]);
          }
          out.add(
              new IoTruth(
                  f[1],
                  Integer.parseInt(f[2]),
                  (int) v[0],
                  v[1],
                  v[2],
                  v[3],
                  v[4],
                  v[5],
                  v[6],
                  v[7],
                  v[8],
                  v[9]));
        }
      }
      return out;
    }
  }

  private static WorkloadProcess ioWorkload(
      LoopDevice dev, int block, int writes, int reads, Path lib) {
    return WorkloadProcess.start(
        null,
        DirectIoPhases.class,
        dev.path().toString(),
        Integer.toString(block),
        Integer.toString(writes),
        Integer.toString(reads),
        Integer.toString(ROUNDS),
        lib.toString());
  }

  /** The checks of the issue, phase by phase, against the workload's own kernel accounting. */
  static void check(List<GroundTruth> truth, List<CorrelatedPhase> phases, Session s) {
    assertThat(phases).hasSize(truth.size());
    // Every phase is checked and printed; the failures are reported together at the end.
    List<String> failed = new ArrayList<>();
    Map<String, Integer> injectedIn = new HashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    for (CorrelatedPhase c : phases) {
      org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
      String name = c.phase().name();
      int round = seen.merge(name, 1, Integer::sum) - 1;
      GroundTruth t =
          truth.stream()
              .filter(g -> g.name().equals(name) && g.round() == round)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ground truth for " + name));
      String what = name + " round " + round + " " + c.values() + " vs " + t;
      assertThat(c.phase().tid()).as(what).isEqualTo(t.tid());
      // Span times come from the workload's wall clock: allow the clock conversion 1 ms.
      long slack = c.phase().origin().equals(PhaseOrigin.OTLP) ? 1_000_000 : 0;
      soft.assertThat(c.phase().startNs()).as(what).isBetween(t.startNs() - slack, t.endNs());
      soft.assertThat(c.phase().endNs()).as(what).isBetween(t.startNs(), t.endNs() + slack);
      long wall = c.phase().durationNs();
      long runq = c.value(Category.RUNQUEUE);
      long blocked = c.value(Category.BLOCKED);
      long sleep = c.value(Category.SLEEP) + c.value(Category.OTHER);
      // Time the hypervisor took the vCPU from the running thread: schedstat's task clock leaves
      // it out, so the kernel's off-CPU time (wall - on-CPU - run delay) holds it. The probe
      // measures it separately: take it out of the kernel's off-CPU time before comparing.
      long steal = c.value(Category.STEAL);
      long kernelOff = t.offNs() - steal;
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
          // A compute thread can still block now and then (a page fault, the allocator, the
          // competing load's wake-ups): off-CPU time the kernel saw too is real, only more than
          // the kernel's is misattributed (as for the runqueue in the other phases).
          misattributed = Math.max(0, blocked + sleep - kernelOff);
        }
        case "wait" -> {
          injectedRef = kernelOff;
          injected = sleep;
          misattributed = blocked + extraRunq;
        }
        default -> { // load, io
          injectedRef = kernelOff;
          injected = blocked;
          misattributed = sleep + extraRunq;
          soft.assertThat(t.readBytes()).as("the %s phase read from the disk", name).isPositive();
        }
      }
      System.out.printf(
          "%-8s r%d pid %d: injected %.1f ms of %.1f ms (kernel: %.1f ms), runqueue %.2f ms"
              + " (kernel %.2f ms), misattributed %.2f ms, on-CPU %.1f ms (kernel %.1f ms), steal %d"
              + " ticks (probe: %.2f ms), outside the phase %.2f ms%n",
          name,
          round,
          c.phase().pid(),
          injected / 1e6,
          wall / 1e6,
          injectedRef / 1e6,
          runq / 1e6,
          t.runDelayNs() / 1e6,
          misattributed / 1e6,
          c.value(Category.ON_CPU) / 1e6,
          t.onCpuNs() / 1e6,
          t.stealTicks(),
          steal / 1e6,
          t.outsideNs() / 1e6);
      // The workload cannot always inject its stall (a cold read now and then costs more CPU
      // than disk time); such a phase is still checked below, but most must have it.
      if (injectedRef > wall / 4) {
        injectedIn.merge(name, 1, Integer::sum);
      } else {
        System.out.printf("%-8s r%d: the injected stall did not happen%n", name, round);
      }
      // /proc/stat counts steal in 10 ms ticks: the probe's steal fits in one more.
      soft.assertThat(steal)
          .as("steal vs the CPU's steal ticks: " + what)
          .isLessThanOrEqualTo((t.stealTicks() + 1) * 10_000_000L);
      soft.assertThat((double) injected)
          .as("injected stall attributed: " + what)
          .isGreaterThanOrEqualTo(0.9 * injectedRef);
      soft.assertThat((double) misattributed)
          .as("time put in kinds not injected here: " + what)
          .isLessThanOrEqualTo(0.05 * wall);
      if (name.equals("compute")) {
        // Where the runqueue is the injected cause, the probe must agree with schedstat's
        // run_delay closely. (In I/O phases the two read a few ms apart: schedstat only starts
        // counting run delay for tasks in state R, the probe also counts a task preempted while
        // entering a sleep; that difference is bounded by the misattribution check above.)
        // run_delay covers the workload's two schedstat reads, a little more than the phase: a
        // wait in that slack (outsideNs) counts for the kernel and belongs to no phase.
        // Either way: 5%.
        double margin = Math.max(1_000_000, 0.05 * t.runDelayNs());
        soft.assertThat((double) runq)
            .as("runqueue wait vs the kernel's run_delay: " + what)
            .isBetween(t.runDelayNs() - t.outsideNs() - margin, t.runDelayNs() + margin);
      }
      if (!soft.errorsCollected().isEmpty()) {
        failed.add(soft.errorsCollected() + "\n" + s.explain(c, t));
      }
    }
    assertThat(failed).as("phases that fail the checks").isEmpty();
    Map<String, Integer> phasesOf = new HashMap<>();
    phases.forEach(c -> phasesOf.merge(c.phase().name(), 1, Integer::sum));
    phasesOf.forEach(
        (name, n) ->
            assertThat(2 * injectedIn.getOrDefault(name, 0))
                .as("phases named %s whose injected stall happened, of %d", name, n)
                .isGreaterThan(n));
  }

  private static List<CorrelatedPhase> phasesOf(
      List<CorrelatedPhase> all, int pid, PhaseOrigin origin) {
    synchronized (all) {
      return all.stream()
          .filter(c -> c.phase().pid() == pid && c.phase().origin().equals(origin))
          .filter(c -> !c.phase().name().equals("warmup"))
          .sorted(java.util.Comparator.comparingLong(c -> c.phase().startNs()))
          .toList();
    }
  }

  /** Waits for {@code n} phases (warm-up excluded) of one process and origin. */
  private static void awaitPhases(List<CorrelatedPhase> out, int pid, PhaseOrigin origin, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (phasesOf(out, pid, origin).size() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(phasesOf(out, pid, origin)).as("correlated phases of %d", pid).hasSize(n);
  }

  /**
   * The workload's worker (and rival) on {@code cpu}, the rest of its JVM (JIT, GC, span export) on
   * another CPU, so they do not disturb the phases.
   */
  private static WorkloadProcess workload(int cpu, Path lib, String otlp) {
    int others = (cpu + 1) % Runtime.getRuntime().availableProcessors();
    return WorkloadProcess.start(
        Integer.toString(others),
        PhasedWorkload.class,
        Integer.toString(cpu),
        Integer.toString(ROUNDS),
        DATA.get(cpu % DATA.size()).toString(),
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

  /** The agent's pipeline, composed as `aiprof profile` and `aiprof run` compose it. */
  record Session(AgentHost host, Pipeline phases, WorkloadResolver identity, EpisodeLog episodes)
      implements AutoCloseable {
    SchedCollector sched() {
      return phases.offered("sched", SchedCollector.class).orElseThrow();
    }

    int otlpPort() {
      return phases
          .offered("otlp", OtlpCollector.class)
          .orElseThrow()
          .httpAddress()
          .orElseThrow()
          .getPort();
    }

    static Session start(
        Map<String, String> settings, java.util.function.Consumer<CorrelatedPhase> sink) {
      return start(settings, Set.of(), sink);
    }

    /** As {@link #start(Map, java.util.function.Consumer)}, with {@code more} collectors. */
    static Session start(
        Map<String, String> settings,
        Set<String> more,
        java.util.function.Consumer<CorrelatedPhase> sink) {
      CollectorCatalog catalog = CollectorCatalog.discover();
      Map<String, String> all = new HashMap<>(settings);
      all.put("identity.source", "none");
      Settings s = AgentSettings.catalog(catalog).validate(all);
      Set<String> collectors = new HashSet<>(Set.of("sched", "marker"));
      collectors.addAll(more);
      if (settings.containsKey("otlp.http-address")) {
        collectors.add("otlp");
      }
      AgentHost host = AgentHost.open(HostPaths.defaults(), Path.of("/sys/kernel/btf/vmlinux"), s);
      WorkloadResolver identity =
          WorkloadResolver.create(IdentitySettings.config(s), HostPaths.defaults(), host.mounts());
      Pipeline p =
          host.pipeline(catalog, s)
              .only(collectors)
              .workloads(pid -> identity.resolve(pid).attributes())
              .sink(sink::accept)
              .start();
      assertThat(p.statuses())
          .filteredOn(st -> collectors.contains(st.name()))
          .allMatch(CollectorStatus::running, "running");
      EpisodeLog episodes = new EpisodeLog();
      Session session = new Session(host, p, identity, episodes);
      session.sched().addListener(episodes);
      return session;
    }

    /** The scheduler probe's health, for failure messages. */
    String health() {
      return "sched probe: dropped "
          + sched().probe().counter(SchedCounter.EVENTS_DROPPED)
          + ", task state missing "
          + sched().probe().counter(SchedCounter.STATE_MISSING)
          + ", wakeup missing "
          + sched().probe().counter(SchedCounter.WAKEUP_MISSING)
          + ", switch-in missing "
          + sched().probe().counter(SchedCounter.SWITCH_IN_MISSING)
          + ", switch-out missing "
          + sched().probe().counter(SchedCounter.SWITCH_OUT_MISSING)
          + ", timeline out of order "
          + sched().timelines().outOfOrder()
          + ", records failed "
          + sched().failedRecords()
          + ", phases described late "
          + phases.engine().late();
    }

    /** What the probe sent about a failing phase's thread, for the failure message. */
    String explain(CorrelatedPhase c, GroundTruth t) {
      long from = Math.min(c.phase().startNs(), t.startNs()) - 20_000_000;
      long to = Math.max(c.phase().endNs(), t.endNs()) + 20_000_000;
      return String.format(
          "  phase %d..%d (%+.3f..%+.3f ms from the kernel's bracket), followed since %+.3f ms,"
              + " %s%n  episodes of tid %d received (times from %d):%n%s",
          c.phase().startNs(),
          c.phase().endNs(),
          (c.phase().startNs() - t.startNs()) / 1e6,
          (c.phase().endNs() - t.endNs()) / 1e6,
          (sched().timelines().followedSince(c.phase().pid()) - t.startNs()) / 1e6,
          health(),
          t.tid(),
          from,
          episodes.around(t.tid(), from, to));
    }

    @Override
    public void close() {
      phases.close();
      identity.close();
      host.close();
    }
  }

  static Predicate<CorrelatedPhase> named(String n) {
    return c -> c.phase().name().equals(n);
  }
}
