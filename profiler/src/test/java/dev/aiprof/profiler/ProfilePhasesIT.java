package dev.aiprof.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.marker.MarkerProvider;
import dev.aiprof.collectors.sched.SchedSignal;
import dev.aiprof.testing.CudaProgram;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the agent's pipeline (sched, marker, profile): a C program marks phases
 * through libaiprof.so and spins in crunch_alpha for 250 ms of its CPU time in phase "alpha", in
 * crunch_beta in "beta", and sleeps in nanosleep in "wait". Each CPU phase's samples are dominated
 * (≥ 80 % self) by its own function; the wait phase carries an off-CPU event whose stack names the
 * sleep in user space and in the kernel; the report writes folded and pprof files naming both
 * functions, and the HTML report built from them ({@code aiprof report --profiles}) has each
 * function in its phase's flame graph.
 */
@Requires(root = true, tools = "gcc", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class ProfilePhasesIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int ROUNDS = 2;

  @TempDir Path files;

  @Test
  void eachPhaseIsDominatedByItsFunctionAndTheWaitSaysWhereItSlept() throws Exception {
    Path exe = ProfileFixtures.phasesProgram();
    try (TestPipeline agent =
            TestPipeline.start(
                Set.of("sched", MarkerProvider.NAME, ProfileProvider.NAME),
                Map.of(
                    "marker.scan-interval", "10m",
                    "profile.frequency", "99",
                    "profile.output-dir", files.toString(),
                    "sched.min-stall", "10ms"),
                PhaseListener.NONE);
        CudaProgram p =
            CudaProgram.start(
                List.of(exe.toString(), Integer.toString(ROUNDS)), Map.of(), TIMEOUT)) {
      agent.collector(MarkerProvider.NAME, MarkerCollector.class).scan();
      p.run(TIMEOUT);
      List<CorrelatedPhase> got = awaitPhases(agent, p.pid(), 3 * ROUNDS);
      assertThat(got).extracting(c -> c.phase().name()).containsOnly("alpha", "beta", "wait");
      for (CorrelatedPhase c : got) {
        assertThat(c.late()).as("%s described with complete data", c.phase().name()).isEmpty();
        switch (c.phase().name()) {
          case "alpha" -> assertDominated(c, "crunch_alpha");
          case "beta" -> assertDominated(c, "crunch_beta");
          default -> assertWaitedInNanosleep(c);
        }
      }
      ProfileCollector profile = agent.collector(ProfileProvider.NAME, ProfileCollector.class);
      RecordingWriter w = new RecordingWriter();
      new ProfileReport(profile, files).render(w);
      assertThat(w.text()).contains("crunch_alpha", "crunch_beta", "CPU profile by phase");
      assertFiles();
      ReportFlames.assertEachFunctionInItsPhase(files, got, p.pid());
      assertThat(p.exit(TIMEOUT)).isZero();
    }
  }

  private static void assertDominated(CorrelatedPhase c, String function) {
    long samples = c.attributes().get(ProfileSignal.SAMPLES);
    double onCpuMs = c.attributes().get(SchedSignal.ON_CPU);
    assertThat(samples)
        .as("%s: %.1f ms on a CPU at 99 Hz (%s)", c.phase().name(), onCpuMs, c.attributes())
        .isGreaterThanOrEqualTo(Math.max(8, Math.round(onCpuMs * 99 / 1000 / 2)));
    List<String> top = c.attributes().get(ProfileSignal.TOP_SELF);
    assertThat(top).as("top self functions of %s", c.phase().name()).isNotEmpty();
    String first = top.getFirst();
    assertThat(first).startsWith(function + " ");
    double pct = Double.parseDouble(first.substring(first.lastIndexOf(' ') + 1).replace("%", ""));
    assertThat(pct)
        .as("%s's share of %s (%s)", function, c.phase().name(), top)
        .isGreaterThanOrEqualTo(80);
    assertThat(c.attributes().get(ProfileSignal.TOP_TOTAL))
        .as("total: the function and its callers")
        .anySatisfy(t -> assertThat(t).startsWith(function + " "));
  }

  private static void assertWaitedInNanosleep(CorrelatedPhase c) {
    assertThat(c.events())
        .filteredOn(e -> e.name().equals(ProfileSignal.OFFCPU_EVENT))
        .as("the 40 ms sleep of %s", c.phase())
        .anySatisfy(
            e -> {
              assertThat(e.attributes().get(ProfileSignal.OFFCPU_MS)).isGreaterThanOrEqualTo(35);
              assertThat(e.attributes().get(ProfileSignal.STATE)).isEqualTo("sleep");
              String stack = e.attributes().get(ProfileSignal.STACK);
              assertThat(stack)
                  .as("user frames")
                  .contains("nanosleep")
                  .containsPattern("wait_step|blocking_sleep");
              assertThat(e.attributes().get(ProfileSignal.KERNEL))
                  .as("kernel frames, symbolised")
                  .contains("schedule")
                  .containsPattern("nanosleep");
              assertThat(e.monoNs()).isBetween(c.phase().startNs() - 1_000_000, c.phase().endNs());
            });
  }

  private void assertFiles() throws Exception {
    List<Path> dirs;
    try (var s = Files.list(files)) {
      dirs = s.toList();
    }
    assertThat(dirs).hasSize(1);
    Path dir = dirs.getFirst();
    assertThat(Files.readString(dir.resolve("cpu.folded")))
        .contains("crunch_alpha", "profile_phases;");
    assertThat(Files.readString(dir.resolve("phase-alpha.folded"))).contains("crunch_alpha");
    assertThat(Files.readString(dir.resolve("phase-beta.folded"))).contains("crunch_beta");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("cpu.pb.gz")))) {
      List<String> strings = PprofRead.strings(in.readAllBytes());
      assertThat(strings).contains("", "samples", "count", "cpu", "nanoseconds", "crunch_beta");
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
}
