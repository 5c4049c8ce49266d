package dev.aiprof.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.marker.MarkerProvider;
import dev.aiprof.testing.CudaFixtures;
import dev.aiprof.testing.CudaProgram;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * End to end through the agent's pipeline (marker phases, the cuda signal, the correlation engine):
 * a program marks phases through libaiprof.so and calls the fake CUDA driver in one kind of phase
 * only. The correlated phases put its launches, bytes and waits in the "gpu-step" phases, with the
 * 5 ms wait as a span event inside the program's own readings, and nothing in the "cpu-step" ones.
 */
@Requires(root = true, tools = "gcc", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class CudaPhasesIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int ROUNDS = 2;

  @Test
  void cudaCallsAndWaitsLandInThePhaseThatMadeThemAndNoneInTheOther() throws Exception {
    Path libaiprof = CudaFixtures.root().resolve("marker/target/libaiprof.so");
    assertThat(libaiprof).as("built by the marker module").satisfies(p -> Files.exists(p));
    Path exe = CudaFixtures.phasedProgram(libaiprof);
    try (TestPipeline agent =
            TestPipeline.start(
                Set.of(MarkerProvider.NAME, CudaProvider.NAME),
                Map.of(
                    "marker.scan-interval", "10m",
                    "cuda.scan-interval", "10m",
                    // the 5 ms wait is an event; the 20 µs ones (100 µs and more with nanosleep's
                    // slack) are not
                    "cuda.wait-event-threshold", "2ms"),
                PhaseListener.NONE);
        CudaProgram p =
            CudaProgram.start(
                List.of(exe.toString(), Integer.toString(ROUNDS)), Map.of(), TIMEOUT)) {
      agent.collector(MarkerProvider.NAME, MarkerCollector.class).scan();
      agent.collector(CudaProvider.NAME, CudaCollector.class).scan();
      p.run(TIMEOUT);
      List<CorrelatedPhase> got = awaitPhases(agent, p.pid(), 2 * ROUNDS);
      assertThat(got)
          .extracting(c -> c.phase().name())
          .containsOnly("gpu-step", "cpu-step")
          .hasSize(2 * ROUNDS);
      for (CorrelatedPhase c : got) {
        assertThat(c.late()).as("%s described with complete data", c.phase().name()).isEmpty();
        if (c.phase().name().equals("gpu-step")) {
          assertGpuStep(c, p);
        } else {
          assertThat(c.attributes().get(CudaSignal.LAUNCHES)).isZero();
          assertThat(c.attributes().get(CudaSignal.COPY_BYTES)).isZero();
          assertThat(c.value(Category.CUDA_SYNC)).isZero();
          assertThat(c.events()).noneMatch(e -> e.name().equals(CudaSignal.WAIT_EVENT));
        }
      }
      assertThat(p.exit(TIMEOUT)).isZero();
    }
  }

  /** Waits (polling) for {@code n} correlated phases of {@code pid}. */
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

  private static void assertGpuStep(CorrelatedPhase c, CudaProgram p) {
    assertThat(c.attributes().get(CudaSignal.LAUNCHES)).isEqualTo(20);
    assertThat(c.value(Category.CUDA_LAUNCHES)).isEqualTo(20);
    assertThat(c.attributes().get(CudaSignal.HTOD)).isEqualTo(2 * 8192);
    assertThat(c.value(Category.CUDA_COPY_BYTES)).isEqualTo(2 * 8192);
    assertThat(c.attributes().get(CudaSignal.SYNCS))
        .as("every sync call, the long one too")
        .isEqualTo(3);
    assertThat(c.attributes().get(CudaSignal.LONG_WAITS)).isEqualTo(1);
    assertThat(c.value(Category.CUDA_SYNC))
        .as("5 ms + 2 × 20 µs asked; at most the phase")
        .isBetween(5_040_000L, c.phase().durationNs());
    assertThat(c.events())
        .filteredOn(e -> e.name().equals(CudaSignal.WAIT_EVENT))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.attributes().get(CudaMetrics.CALL)).isEqualTo("cuStreamSynchronize");
              assertThat(e.attributes().get(CudaSignal.WAIT_MS)).isGreaterThanOrEqualTo(5.0);
              assertThat(e.monoNs()).isBetween(c.phase().startNs(), c.phase().endNs());
            });
    assertThat(p.lines())
        .as("the program's own reading around this phase contains it")
        .anySatisfy(
            l -> {
              String[] f = l.split(" ");
              assertThat(f[0]).isEqualTo("phase");
              assertThat(f[2]).isEqualTo("gpu-step");
              assertThat(Long.parseLong(f[3])).isLessThanOrEqualTo(c.phase().startNs());
              assertThat(Long.parseLong(f[4])).isGreaterThanOrEqualTo(c.phase().endNs());
            });
  }
}
