package dev.aiprof.io.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.bpf.blockio.BlockIoSeries;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.marker.MarkerProvider;
import dev.aiprof.collectors.sched.SchedProvider;
import dev.aiprof.testing.BlockIoFixtures;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.CudaFixtures;
import dev.aiprof.testing.CudaProgram;
import dev.aiprof.testing.LoopDevice;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the agent's pipeline (scheduler, marker phases, the blockio collector): a C
 * program in a test cgroup of its own does a known number of O_DIRECT writes and reads of known
 * sizes on a loop device of the test's own, in a marker phase. The blockio metrics of that device
 * give that cgroup exactly those requests and bytes, which are also the device's {@code
 * /sys/block/loopN/stat} deltas; the I/O phase's block-I/O wait is the sum of its requests' queue
 * and service times (the histograms' sums, within the histograms' slot bounds) and the idle phase
 * has none.
 */
@Requires(
    root = true,
    tools = {"gcc", "losetup"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class BlockIoCollectorIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int READS = 20;
  private static final int READ_BYTES = 64 << 10;
  private static final int WRITES = 10;
  private static final int WRITE_BYTES = 128 << 10;

  @TempDir Path dir;

  @Test
  void aCgroupsDirectIoIsCountedForItAsTheDiskCountsItAndItsPhaseWaitedOnIt() throws Exception {
    Path libaiprof = CudaFixtures.root().resolve("marker/target/libaiprof.so");
    assertThat(libaiprof).as("built by the marker module").satisfies(p -> Files.exists(p));
    Path exe = BlockIoFixtures.directProgram(libaiprof);
    try (LoopDevice loop = LoopDevice.create(dir, 16 << 20);
        CgroupDir cg = CgroupDir.create("aiprof-blockio-it-" + ProcessHandle.current().pid());
        TestPipeline agent =
            TestPipeline.start(
                Set.of(SchedProvider.NAME, MarkerProvider.NAME, BlockIoProvider.NAME),
                Map.of("marker.scan-interval", "10m"),
                PhaseListener.NONE)) {
      LoopDevice.Stat before = loop.stat();
      LoopDevice.Stat delta;
      List<CorrelatedPhase> phases;
      try (CudaProgram p =
          CudaProgram.start(
              List.of(
                  exe.toString(),
                  loop.path().toString(),
                  Integer.toString(READS),
                  Integer.toString(READ_BYTES),
                  Integer.toString(WRITES),
                  Integer.toString(WRITE_BYTES)),
              Map.of(),
              TIMEOUT)) {
        cg.add(p.pid());
        agent.collector(MarkerProvider.NAME, MarkerCollector.class).scan();
        p.run(TIMEOUT);
        delta = loop.stat().minus(before);
        phases = awaitPhases(agent, p.pid(), 2);
        assertThat(p.exit(TIMEOUT)).isZero();
      }

      assertThat(delta.reads()).as("the disk's own count").isEqualTo(READS);
      assertThat(delta.writes()).isEqualTo(WRITES);
      Predicate<RecordingSink.Point> device =
          x -> loop.name().equals(x.attributes().get(BlockIoMetrics.DEVICE));
      RecordingSink m = metrics(agent);
      assertThat(m.of(BlockIoMetrics.REQUESTS).stream().filter(device))
          .as("every request on the device is the fixture's cgroup's, its own")
          .allSatisfy(
              x -> {
                assertThat(x.attributes().get(Identity.CGROUP_ID)).isEqualTo(cg.id());
                assertThat(x.attributes().get(BlockIoMetrics.ORIGIN)).isEqualTo("task");
              });
      assertThat(sum(m, BlockIoMetrics.REQUESTS, device, "read")).isEqualTo(delta.reads());
      assertThat(sum(m, BlockIoMetrics.REQUESTS, device, "write")).isEqualTo(delta.writes());
      assertThat(sum(m, BlockIoMetrics.BYTES, device, "read"))
          .isEqualTo(delta.readSectors() * 512)
          .isEqualTo((long) READS * READ_BYTES);
      assertThat(sum(m, BlockIoMetrics.BYTES, device, "write"))
          .isEqualTo(delta.writeSectors() * 512)
          .isEqualTo((long) WRITES * WRITE_BYTES);

      CorrelatedPhase io = phase(phases, "io-step");
      CorrelatedPhase idle = phase(phases, "idle-step");
      assertThat(io.late()).isEmpty();
      assertThat(io.attributes().get(BlockIoSignal.IN_FLIGHT))
          .as("read the in-flight map after the phase: synchronous I/O left nothing in flight")
          .isZero();
      assertThat(io.attributes().get(BlockIoSignal.REQUESTS)).isEqualTo(READS + WRITES);
      assertThat(io.attributes().get(BlockIoSignal.READ_BYTES))
          .isEqualTo((long) READS * READ_BYTES);
      assertThat(io.attributes().get(BlockIoSignal.WRITTEN_BYTES))
          .isEqualTo((long) WRITES * WRITE_BYTES);
      long wait = io.value(Category.BLOCK_IO_WAIT);
      long histogramSums =
          sum(m, BlockIoMetrics.QUEUE_DURATION, device, null)
              + sum(m, BlockIoMetrics.SERVICE_DURATION, device, null);
      assertThat(wait)
          .as("one thread, synchronous I/O: at most the phase")
          .isPositive()
          .isLessThanOrEqualTo(io.phase().durationNs())
          .as("every request lies in the phase: its wait is their queue and service times")
          .isEqualTo(histogramSums);
      assertThat(wait).isBetween(bound(m, device, false), bound(m, device, true));
      assertThat(idle.value(Category.BLOCK_IO_WAIT)).isZero();
      assertThat(idle.attributes().get(BlockIoSignal.REQUESTS)).isZero();
    }
  }

  /**
   * The phase ends and its process exits at once (the earlier reviewer's case): the phase reaches
   * the engine after the process is gone and unfollowed, and still carries its block I/O.
   */
  @Test
  void aPhaseThatEndsRightBeforeItsProcessExitsKeepsItsBlockIo() throws Exception {
    Path libaiprof = CudaFixtures.root().resolve("marker/target/libaiprof.so");
    Path exe = BlockIoFixtures.directProgram(libaiprof);
    try (LoopDevice loop = LoopDevice.create(dir, 16 << 20);
        TestPipeline agent =
            TestPipeline.start(
                Set.of(SchedProvider.NAME, MarkerProvider.NAME, BlockIoProvider.NAME),
                Map.of("marker.scan-interval", "10m"),
                PhaseListener.NONE)) {
      List<CorrelatedPhase> phases;
      try (CudaProgram p =
          CudaProgram.start(
              List.of(
                  exe.toString(),
                  loop.path().toString(),
                  Integer.toString(READS),
                  Integer.toString(READ_BYTES),
                  Integer.toString(WRITES),
                  Integer.toString(WRITE_BYTES),
                  "exit"),
              Map.of(),
              TIMEOUT)) {
        agent.collector(MarkerProvider.NAME, MarkerCollector.class).scan();
        p.run(TIMEOUT);
        assertThat(p.awaitExit(TIMEOUT)).isZero();
        phases = awaitPhases(agent, p.pid(), 1);
      }
      CorrelatedPhase io = phase(phases, "io-step");
      assertThat(io.late()).isEmpty();
      assertThat(io.attributes().get(BlockIoSignal.REQUESTS))
          .as("the requests of a phase whose process exited before the engine took it")
          .isEqualTo(READS + WRITES);
      assertThat(io.attributes().get(BlockIoSignal.READ_BYTES))
          .isEqualTo((long) READS * READ_BYTES);
      assertThat(io.attributes().get(BlockIoSignal.WRITTEN_BYTES))
          .isEqualTo((long) WRITES * WRITE_BYTES);
      assertThat(io.value(Category.BLOCK_IO_WAIT)).isPositive();
    }
  }

  /**
   * A cgroup does direct I/O and is removed: its series stay while a collection exports their last
   * values, then the sweep deletes them from the kernel's map and counts it.
   */
  @Test
  void theSeriesOfARemovedCgroupAreExportedOnceMoreThenDeleted() throws Exception {
    long id;
    long requests;
    try (LoopDevice loop = LoopDevice.create(dir, 16 << 20);
        TestPipeline agent =
            TestPipeline.start(
                Set.of(BlockIoProvider.NAME),
                Map.of(),
                PhaseListener.NONE,
                TestPipeline.v2Cgroups())) {
      BlockIoCollector c = agent.collector(BlockIoProvider.NAME, BlockIoCollector.class);
      int dev = loop.dev();
      try (CgroupDir cg =
          CgroupDir.create("aiprof-iomaps-" + ProcessHandle.current().pid() + "/blk")) {
        id = cg.id();
        Process dd =
            new ProcessBuilder(
                    "sh",
                    "-c",
                    "echo $$ > "
                        + cg.path().resolve("cgroup.procs")
                        + " && exec dd if=/dev/zero of="
                        + loop.path()
                        + " bs=64k count=8 oflag=direct status=none")
                .inheritIO()
                .start();
        assertThat(dd.waitFor()).isZero();
        requests =
            await(
                () -> {
                  return requestsOf(c, id, dev) >= 8 ? requestsOf(c, id, -1) : null;
                });
      } // removed here
      assertThat(exported(agent, id)).as("still exported after removal").isEqualTo(requests);
      List<Long> seen = new ArrayList<>();
      await(
          () -> {
            c.forgetRemovedCgroups();
            long n = exported(agent, id); // each poll exports, as a reader does
            seen.add(n);
            return c.probe().series().stream().noneMatch(x -> x.cgroupId() == id) ? true : null;
          });
      assertThat(seen.subList(0, seen.size() - 1))
          .as("every collection before the deletion had its last values")
          .allMatch(n -> n == requests);
      assertThat(exported(agent, id)).as("deleted: no longer exported").isZero();
      RecordingSink m = metrics(agent);
      assertThat(m.of(BlockIoMetrics.CGROUPS_REMOVED))
          .singleElement()
          .satisfies(x -> assertThat(x.value()).isGreaterThanOrEqualTo(1));
    }
  }

  /** Requests of {@code cgroup} on device {@code dev} (-1: every device) in the kernel's map. */
  private static long requestsOf(BlockIoCollector c, long cgroup, int dev) {
    return c.probe().series().stream()
        .filter(x -> x.cgroupId() == cgroup && (dev == -1 || x.dev() == dev))
        .mapToLong(BlockIoSeries::requests)
        .sum();
  }

  /** Requests one collection exports for {@code cgroup}. */
  private static long exported(TestPipeline agent, long cgroup) {
    return Math.round(
        metrics(agent).of(BlockIoMetrics.REQUESTS).stream()
            .filter(x -> Long.valueOf(cgroup).equals(x.attributes().get(Identity.CGROUP_ID)))
            .mapToDouble(RecordingSink.Point::value)
            .sum());
  }

  private static <T> T await(Supplier<T> until) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    for (T v = until.get(); ; v = until.get()) {
      if (v != null) {
        return v;
      }
      assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static long sum(
      RecordingSink m, MetricId metric, Predicate<RecordingSink.Point> which, String dir) {
    return Math.round(
        m.of(metric).stream()
            .filter(which)
            .filter(x -> dir == null || dir.equals(x.attributes().get(BlockIoMetrics.DIRECTION)))
            .mapToDouble(RecordingSink.Point::value)
            .sum());
  }

  /** The least (or most) the queue and service histograms' samples can add up to. */
  private static long bound(RecordingSink m, Predicate<RecordingSink.Point> which, boolean upper) {
    long total = 0;
    for (MetricId h : List.of(BlockIoMetrics.QUEUE_DURATION, BlockIoMetrics.SERVICE_DURATION)) {
      for (RecordingSink.Point x : m.of(h).stream().filter(which).toList()) {
        for (int i = 0; i < x.histogram().slots(); i++) {
          long n = x.histogram().count(i);
          total += n * (upper ? Log2Histogram.upperBound(i) : Log2Histogram.lowerBound(i));
        }
      }
    }
    return total;
  }

  private static RecordingSink metrics(TestPipeline agent) {
    RecordingSink sink = new RecordingSink();
    agent.pipeline().metrics().collect(sink);
    return sink;
  }

  private static CorrelatedPhase phase(List<CorrelatedPhase> phases, String name) {
    return phases.stream().filter(c -> c.phase().name().equals(name)).findFirst().orElseThrow();
  }

  private static List<CorrelatedPhase> awaitPhases(TestPipeline agent, int pid, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<CorrelatedPhase> got;
    do {
      Thread.sleep(20);
      got = agent.correlated().stream().filter(c -> c.phase().pid() == pid).toList();
    } while (got.size() < n && System.nanoTime() < deadline);
    assertThat(got).hasSize(n);
    return got;
  }
}
