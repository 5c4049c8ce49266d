package dev.aiprof.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.category.Category;
import dev.aiprof.api.follow.ProcStat;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.bpf.fileio.FileIoConfig;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.marker.MarkerProvider;
import dev.aiprof.collectors.sched.SchedProvider;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.CudaFixtures;
import dev.aiprof.testing.FileIoSteps;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The fileio collector in the agent's pipeline with the scheduler and marker collectors, on a
 * fixture in a test cgroup of its own whose steps are marker phases: a cold buffered read, the same
 * read warm, a cold mapped read (MADV_RANDOM) and a write. Each correlated phase carries that
 * step's bytes, page-cache misses and major faults and none of the others'; the workload's metrics
 * carry the sums, against the fixture's own counts and {@code /proc/PID/stat} majflt.
 */
@Requires(
    root = true,
    tools = "gcc",
    files = {"/sys/kernel/btf/vmlinux", "/sys/kernel/tracing/events/syscalls/sys_enter_read"})
@NoBpfLeaks
class FileIoCollectorIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int SIZE = 4 << 20;
  private static final int WRITE = 1 << 20;

  @Test
  void eachStepsIoLandsInItsPhaseAndInTheWorkloadsMetrics() throws Exception {
    long self = ProcessHandle.current().pid();
    Path libaiprof = CudaFixtures.root().resolve("marker/target/libaiprof.so");
    assertThat(libaiprof).as("built by the marker module").satisfies(p -> Files.exists(p));
    Path exe = FileIoSteps.build(libaiprof);
    Path dir = Files.createDirectories(Path.of("target/fileio-collector-it-" + self));
    Path file = dir.resolve("data.bin");
    writeSynced(file, SIZE);
    long pages = SIZE >> FileIoConfig.hostPageShift();
    try (TestPipeline agent =
            TestPipeline.start(
                Set.of(SchedProvider.NAME, MarkerProvider.NAME, FileIoProvider.NAME),
                Map.of("marker.scan-interval", "10m", "fileio.slow-read-threshold", "100us"),
                PhaseListener.NONE);
        CgroupDir cg = CgroupDir.create("aiprof-test-" + self + "/fileio");
        FileIoSteps p = FileIoSteps.start(exe, TIMEOUT)) {
      cg.add(p.pid());
      agent.collector(MarkerProvider.NAME, MarkerCollector.class).scan();
      long mf0 = p.majorFaults();
      p.run("cold " + file, TIMEOUT);
      p.run("warm " + file, TIMEOUT);
      long mf1 = p.majorFaults();
      p.run("mmap " + file, TIMEOUT);
      long mf2 = p.majorFaults();
      p.run("write " + dir.resolve("out.bin") + " " + WRITE, TIMEOUT);
      long mf3 = p.majorFaults();
      assertThat(mf2 - mf1)
          .as("a major fault per mapped page")
          .isBetween(pages - pages / 20, pages);

      List<CorrelatedPhase> got = awaitPhases(agent, p.pid(), 4);
      assertThat(got)
          .extracting(c -> c.phase().name())
          .containsExactlyInAnyOrder("cold-read", "warm-read", "mmap-read", "write");
      for (CorrelatedPhase c : got) {
        assertThat(c.late()).as("%s described with complete data", c.phase().name()).isEmpty();
        assertThat(c.attributes().get(FileIoSignal.COVERAGE))
            .as("followed from the first marker call: the whole phase")
            .isEqualTo(1.0);
        switch (c.phase().name()) {
          case "cold-read" -> {
            assertThat(c.value(Category.BYTES_READ)).isEqualTo(SIZE);
            assertThat(c.value(Category.PAGE_CACHE_MISSES))
                .isBetween(pages - pages / 20, pages + 8);
            assertThat(c.value(Category.BYTES_WRITTEN)).isZero();
            assertThat(c.events())
                .as("a cold read waits for the disk: over 100 µs")
                .anyMatch(e -> e.name().equals(FileIoSignal.SLOW_READ_EVENT));
          }
          case "warm-read" -> {
            assertThat(c.value(Category.BYTES_READ)).isEqualTo(SIZE);
            assertThat(c.value(Category.PAGE_CACHE_MISSES)).isZero();
            assertThat(c.value(Category.MAJOR_FAULTS)).isZero();
          }
          case "mmap-read" -> {
            assertThat(c.value(Category.BYTES_READ)).isZero();
            assertThat(c.value(Category.MAJOR_FAULTS)).isEqualTo(mf2 - mf1);
            assertThat(c.value(Category.PAGE_CACHE_MISSES))
                .as("faulted in")
                .isBetween(pages - pages / 20, pages);
          }
          default -> {
            assertThat(c.value(Category.BYTES_WRITTEN)).isEqualTo(WRITE);
            assertThat(c.value(Category.BYTES_READ)).isZero();
            assertThat(c.value(Category.PAGE_CACHE_MISSES))
                .as("written pages are no misses")
                .isZero();
          }
        }
      }

      Predicate<RecordingSink.Point> ours = x -> cg.id() == x.attributes().get(Identity.CGROUP_ID);
      List<RecordingSink.Point> m = metrics(agent);
      assertThat(sum(m, FileIoMetrics.BYTES, ours, "read")).isEqualTo(2.0 * SIZE);
      assertThat(sum(m, FileIoMetrics.BYTES, ours, "write")).isEqualTo(WRITE);
      assertThat(sum(m, FileIoMetrics.MAJOR_FAULTS, ours, null))
          .as("every major fault since it joined the cgroup")
          .isEqualTo((double) (mf3 - mf0));
      assertThat(sum(m, FileIoMetrics.PAGE_CACHE_MISSES, ours, null))
          .isBetween(2.0 * (pages - pages / 20), 2.0 * pages + 8);
      assertThat(m)
          .filteredOn(x -> x.metric().equals(FileIoMetrics.READ_DURATION) && ours.test(x))
          .singleElement()
          .satisfies(
              x ->
                  assertThat(x.histogram().total())
                      .as("reads, EOF ones included")
                      .isGreaterThan(2L * SIZE / (64 << 10)));

      // Exit: the process's kernel entries go at the next check, its bytes stay in the workload.
      FileIoCollector fileio = agent.collector(FileIoProvider.NAME, FileIoCollector.class);
      ProcessKey key = ProcStat.read(HostPaths.defaults(), p.pid()).orElseThrow().key();
      assertThat(fileio.probe().stats())
          .as("the kernel names the fixture by pid and start, as /proc/PID/stat does")
          .anyMatch(st -> st.process().equals(key));
      fileio.fold();
      assertThat(fileio.probe().stats())
          .as("kept while it runs")
          .anyMatch(st -> st.process().equals(key));
      assertThat(p.exit(TIMEOUT)).isZero();
      fileio.fold();
      assertThat(fileio.probe().stats()).noneMatch(st -> st.process().equals(key));
      assertThat(sum(metrics(agent), FileIoMetrics.BYTES, ours, "read"))
          .as("folded into its workload")
          .isEqualTo(2.0 * SIZE);
    } finally {
      Files.deleteIfExists(dir.resolve("out.bin"));
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static List<CorrelatedPhase> awaitPhases(TestPipeline agent, int pid, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<CorrelatedPhase> got;
    do {
      Thread.sleep(20);
      got = agent.correlated().stream().filter(c -> c.phase().pid() == pid).toList();
    } while (got.size() < n && System.nanoTime() < deadline);
    return got;
  }

  private static List<RecordingSink.Point> metrics(TestPipeline agent) {
    RecordingSink sink = new RecordingSink();
    agent.pipeline().metrics().collect(sink);
    return sink.points;
  }

  private static double sum(
      List<RecordingSink.Point> points,
      MetricId metric,
      Predicate<RecordingSink.Point> which,
      String dir) {
    return points.stream()
        .filter(x -> x.metric().equals(metric) && which.test(x))
        .filter(x -> dir == null || dir.equals(x.attributes().get(FileIoMetrics.DIRECTION)))
        .mapToDouble(RecordingSink.Point::value)
        .sum();
  }

  private static void writeSynced(Path file, int size) throws IOException {
    byte[] chunk = new byte[1 << 16];
    java.util.Arrays.fill(chunk, (byte) 7);
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int at = 0; at < size; at += chunk.length) {
        ch.write(ByteBuffer.wrap(chunk));
      }
      ch.force(true);
    }
  }
}
