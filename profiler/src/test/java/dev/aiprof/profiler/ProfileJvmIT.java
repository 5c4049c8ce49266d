package dev.aiprof.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.marker.MarkerProvider;
import dev.aiprof.testing.CudaProgram;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A child JVM ({@link HotJvm}) spends its "hot" phases in a JIT-compiled method. The agent asks it
 * for a perf map (jcmd Compiler.perfmap) at the first unresolved JIT frame of the followed process
 * (in its "warmup" phase, during which the test waits for the file to appear), so from then on the
 * samples name the method: every "hot" phase is dominated (≥ 80 % self) by {@code HotJvm.spin}.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class ProfileJvmIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(40);
  private static final int ROUNDS = 3;

  @Test
  void theJitCompiledHotMethodDominatesItsPhase() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+PreserveFramePointer",
            "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=dontinline,dev.aiprof.profiler.HotJvm::spin",
            "-cp",
            System.getProperty("java.class.path"),
            HotJvm.class.getName(),
            ProfileFixtures.libaiprof().toString(),
            Integer.toString(ROUNDS),
            "800");
    try (TestPipeline agent =
            TestPipeline.start(
                Set.of("sched", MarkerProvider.NAME, ProfileProvider.NAME),
                Map.of(
                    "marker.scan-interval", "10m",
                    "profile.frequency", "99",
                    "profile.files", "false"),
                PhaseListener.NONE);
        CudaProgram p = CudaProgram.start(cmd, Map.of(), TIMEOUT)) {
      agent.collector(MarkerProvider.NAME, MarkerCollector.class).scan();
      Path perfMap =
          Path.of("/proc", Integer.toString(p.pid()), "root/tmp/perf-" + p.pid() + ".map");
      p.send("warm");
      p.await("warm", TIMEOUT);
      awaitFile(perfMap); // asked for by the agent during the fixture's "warmup" phase
      p.run(TIMEOUT);
      List<CorrelatedPhase> got =
          awaitPhases(agent, p.pid(), ROUNDS + 1).stream()
              .filter(c -> c.phase().name().equals("hot"))
              .toList();
      assertThat(got).hasSize(ROUNDS);
      for (CorrelatedPhase c : got) {
        assertThat(c.attributes().get(ProfileSignal.SAMPLES)).as("%s", c.attributes()).isPositive();
        List<String> top = c.attributes().get(ProfileSignal.TOP_SELF);
        assertThat(top).as("%s", c.attributes()).isNotEmpty();
        String first = top.getFirst();
        ProfileCollector pc = agent.collector(ProfileProvider.NAME, ProfileCollector.class);
        assertThat(first)
            .as(
                "stats %s collisions %d errors %d",
                Arrays.toString(pc.stats()),
                pc.probe().counter(dev.aiprof.bpf.profile.ProfileCounter.STACK_COLLISIONS),
                pc.probe().counter(dev.aiprof.bpf.profile.ProfileCounter.STACK_ERRORS))
            .contains("HotJvm.spin");
        double pct =
            Double.parseDouble(first.substring(first.lastIndexOf(' ') + 1).replace("%", ""));
        assertThat(pct).as("spin's share (%s)", top).isGreaterThanOrEqualTo(80);
      }
      Files.deleteIfExists(perfMap);
      assertThat(p.exit(TIMEOUT)).isZero();
    }
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(file).as("the perf map the agent asked the JVM for").exists();
  }

  private static List<CorrelatedPhase> awaitPhases(TestPipeline agent, int pid, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<CorrelatedPhase> got;
    do {
      Thread.sleep(20);
      got =
          agent.correlated().stream()
              .filter(c -> c.phase().pid() == pid)
              .sorted((a, b) -> Long.compare(a.phase().startNs(), b.phase().startNs()))
              .toList();
    } while (got.size() < n && System.nanoTime() < deadline);
    return got;
  }
}
