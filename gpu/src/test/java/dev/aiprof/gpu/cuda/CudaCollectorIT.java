package dev.aiprof.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.bpf.cuda.CudaApi;
import dev.aiprof.bpf.phase.LibraryId;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.CudaFixtures;
import dev.aiprof.testing.CudaProgram;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The cuda collector in the agent's pipeline, on real processes: it finds the fixture programs in
 * /proc, attaches to the fake driver and the real libcudart.so.13, and its metrics carry what the
 * programs printed they did, in the programs' own cgroup; it detaches once they exit.
 */
@Requires(root = true, tools = "gcc", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class CudaCollectorIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final long MIB = 1 << 20;

  @Test
  void driverCallsBecomeMetricsOfTheProgramsWorkload() throws Exception {
    Path lib = CudaFixtures.fakeDriver();
    Path exe = CudaFixtures.driverProgram();
    long self = ProcessHandle.current().pid();
    try (TestPipeline agent =
            TestPipeline.start(
                Set.of("cuda"), Map.of("cuda.scan-interval", "10m"), PhaseListener.NONE);
        CgroupDir cg = CgroupDir.create("aiprof-test-" + self + "/cuda-driver");
        CudaProgram p = CudaProgram.start(List.of(exe.toString(), "2"), Map.of(), TIMEOUT)) {
      cg.add(p.pid());
      CudaCollector c = agent.collector(CudaProvider.NAME, CudaCollector.class);
      c.scan();
      assertThat(c.probe().attached()).containsEntry(LibraryId.of(lib), CudaApi.DRIVER);
      assertThat(c.processes()).contains(p.pid());
      p.run(TIMEOUT);
      Predicate<RecordingSink.Point> ours = x -> cg.id() == x.attributes().get(Identity.CGROUP_ID);
      List<RecordingSink.Point> m = awaitCalls(agent, c, ours, "cuLaunchKernel", 30);
      assertThat(value(m, CudaMetrics.CALLS, ours, "cuMemcpy", null))
          .isEqualTo(2 * (3 + 2 + 1 + 1) + 3);
      assertThat(value(m, CudaMetrics.BYTES, ours, "cuMemcpy", "htod")).isEqualTo(3 * 3 * 4096);
      assertThat(value(m, CudaMetrics.BYTES, ours, "cuMemcpyAsync", "dtoh")).isEqualTo(2 * 512);
      assertThat(value(m, CudaMetrics.CALLS, ours, "cuStreamSynchronize", null)).isEqualTo(4);
      assertThat(value(m, CudaMetrics.ERRORS, ours, "cuStreamSynchronize", null)).isZero();
      assertThat(value(m, CudaMetrics.ALLOCATED, ours, null, null))
          .as("(3 - 1) MiB on thread 0, (6 - 2) MiB on thread 1")
          .isEqualTo(6 * MIB);
      assertThat(m)
          .filteredOn(x -> x.metric().equals(CudaMetrics.SYNC_DURATION) && ours.test(x))
          .filteredOn(x -> "cuStreamSynchronize".equals(x.attributes().get(CudaMetrics.CALL)))
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.histogram().total()).isEqualTo(4);
                assertThat(x.value()).as("sum of the waits, ns").isBetween(8e6, 1e9);
              });
      assertThat(p.exit(TIMEOUT)).isZero();
      p.close();
      c.scan();
      assertThat(c.probe().attached())
          .as("detached after the last user exited (other processes here may map other CUDA files)")
          .doesNotContainKey(LibraryId.of(lib));
      assertThat(value(CudaCollectorIT.metrics(agent), CudaMetrics.ALLOCATED, ours, null, null))
          .isZero();
    }
  }

  @Test
  @Requires(files = "/usr/local/cuda-13.0/lib64/libcudart.so.13")
  void aRuntimeProcessThatStartsLaterIsFoundByThePeriodicScan() throws Exception {
    Path exe = CudaFixtures.runtimeProgram();
    long self = ProcessHandle.current().pid();
    try (TestPipeline agent =
            TestPipeline.start(
                Set.of("cuda"), Map.of("cuda.scan-interval", "200ms"), PhaseListener.NONE);
        CgroupDir cg = CgroupDir.create("aiprof-test-" + self + "/cuda-runtime")) {
      CudaCollector c = agent.collector(CudaProvider.NAME, CudaCollector.class);
      try (CudaProgram p = CudaProgram.start(List.of(exe.toString(), "1"), Map.of(), TIMEOUT)) {
        cg.add(p.pid());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!c.processes().contains(p.pid()) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(c.probe().attached()).containsValue(CudaApi.RUNTIME);
        p.run(TIMEOUT);
        Predicate<RecordingSink.Point> any = x -> cg.id() == x.attributes().get(Identity.CGROUP_ID);
        List<RecordingSink.Point> m = awaitCalls(agent, c, any, "cudaLaunchKernel", 5);
        assertThat(value(m, CudaMetrics.ERRORS, any, "cudaLaunchKernel", null))
            .as("cudaErrorInsufficientDriver every time")
            .isEqualTo(5);
        assertThat(value(m, CudaMetrics.BYTES, any, "cudaMemcpy", "htod")).isEqualTo(2468);
        assertThat(p.exit(TIMEOUT)).isZero();
      }
    }
  }

  /** Drains and collects until {@code call} reached {@code n} calls (or the timeout). */
  static List<RecordingSink.Point> awaitCalls(
      TestPipeline agent, CudaCollector c, Predicate<RecordingSink.Point> ours, String call, long n)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<RecordingSink.Point> m;
    do {
      Thread.sleep(50);
      c.drain();
      m = CudaCollectorIT.metrics(agent);
    } while (value(m, CudaMetrics.CALLS, ours, call, null) < n && System.nanoTime() < deadline);
    assertThat(value(m, CudaMetrics.CALLS, ours, call, null)).as("%s calls", call).isEqualTo(n);
    return m;
  }

  /** One collection of every collector's metrics. */
  static List<RecordingSink.Point> metrics(TestPipeline agent) {
    RecordingSink sink = new RecordingSink();
    agent.pipeline().metrics().collect(sink);
    return sink.points;
  }

  /** The sum of {@code metric} over points that match (call and direction when not null). */
  static double value(
      List<RecordingSink.Point> points,
      dev.aiprof.api.metrics.MetricId metric,
      Predicate<RecordingSink.Point> which,
      String call,
      String dir) {
    return points.stream()
        .filter(x -> x.metric().equals(metric) && which.test(x))
        .filter(x -> call == null || call.equals(x.attributes().get(CudaMetrics.CALL)))
        .filter(x -> dir == null || dir.equals(x.attributes().get(CudaMetrics.DIRECTION)))
        .mapToDouble(RecordingSink.Point::value)
        .sum();
  }
}
