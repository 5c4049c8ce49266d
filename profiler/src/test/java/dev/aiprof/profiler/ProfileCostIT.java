package dev.aiprof.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.RunTimeStats;
import dev.aiprof.bpf.profile.ProfileConfig;
import dev.aiprof.bpf.profile.ProfileProbe;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.marker.MarkerProvider;
import dev.aiprof.testing.CudaProgram;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the profile probe costs, by the kernel's own accounting (BPF_ENABLE_STATS: CPU time, so it
 * holds on a loaded machine): ns per CPU-clock sample and per sched_switch of the off-CPU program,
 * while the C fixture runs followed; and what symbolising the window's stacks costs, cold and warm.
 * Prints the numbers (the README quotes them). Also loads the raw_tp variant, which this kernel
 * would not choose.
 */
@Requires(root = true, tools = "gcc", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class ProfileCostIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void programsAndSymbolisationCostWhatTheKernelSays() throws Exception {
    Path exe = ProfileFixtures.phasesProgram();
    try (RunTimeStats stats = RunTimeStats.enable();
        TestPipeline agent =
            TestPipeline.start(
                Set.of("sched", MarkerProvider.NAME, ProfileProvider.NAME),
                Map.of("marker.scan-interval", "10m", "profile.files", "false"),
                PhaseListener.NONE);
        CudaProgram p = CudaProgram.start(List.of(exe.toString(), "2"), Map.of(), TIMEOUT)) {
      agent.collector(MarkerProvider.NAME, MarkerCollector.class).scan();
      ProfileCollector profile = agent.collector(ProfileProvider.NAME, ProfileCollector.class);
      List<ProgramStats> before = profile.probe().programStats();
      p.run(TIMEOUT);
      List<ProgramStats> after = profile.probe().programStats();
      for (int i = 0; i < after.size(); i++) {
        ProgramStats d = after.get(i).minus(before.get(i));
        System.out.printf(
            "profile cost: %s %.0f ns/run over %d runs%n", d.name(), d.nanosPerRun(), d.runCount());
        assertThat(d.runCount()).as("%s ran", d.name()).isPositive();
        assertThat(d.nanosPerRun()).as("%s ns per run", d.name()).isBetween(1.0, 100_000.0);
      }
      profile.resolve();
      long t0 = System.nanoTime();
      WeightedStacks cold = profile.window(true, 0);
      long t1 = System.nanoTime();
      WeightedStacks warm = profile.window(true, 0);
      long t2 = System.nanoTime();
      int n = cold.stacks().size();
      assertThat(n).isPositive();
      assertThat(warm.samples()).as("the same samples").isEqualTo(cold.samples());
      System.out.printf(
          "profile symbolisation: %d stacks, %.1f µs per stack cold, %.1f µs warm (%d frames"
              + " looked up, %d from the cache)%n",
          n,
          (t1 - t0) / 1e3 / n,
          (t2 - t1) / 1e3 / n,
          profile.symbolizer().lookups(),
          profile.symbolizer().cacheHits());
      assertThat(p.exit(TIMEOUT)).isZero();
    }
  }

  @Test
  void theRawTracepointVariantLoadsAndAttaches() {
    ProfileConfig c = ProfileConfig.defaults();
    try (ProfileProbe probe = ProfileProbe.load(ProfileProbe.OffCpuVariant.RAW_TP, c, null)) {
      assertThat(probe.offCpuVariant()).isEqualTo(ProfileProbe.OffCpuVariant.RAW_TP);
      assertThat(probe.programStats())
          .extracting(ProgramStats::name)
          .containsExactlyInAnyOrder("profile_sample", "offcpu_switch_raw");
    }
  }
}
