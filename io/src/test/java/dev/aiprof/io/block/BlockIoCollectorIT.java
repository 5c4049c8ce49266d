package dev.aiprof.io.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.PhaseListener;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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
