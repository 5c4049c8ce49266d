package dev.aiprof.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.bpf.profile.ProfileCounter;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stack map under pressure: two builds of {@code many_stacks} (functions {@code a_*} and {@code
 * b_*}) run side by side for four seconds (each busy half the time), nearly every sample a stack
 * never seen before, at 499 Hz with small stack maps (2,048 entries), so that the map is recycled
 * many times a second. No sample of one may carry a frame of the other (a stack id read after its
 * bucket was emptied and refilled by another process), and few may lose their stack. Prints the
 * numbers (the README quotes them).
 */
@Requires(root = true, tools = "gcc", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class StackLossIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void noSampleGetsAnotherProcesssStackAndFewLoseTheirs() throws Exception {
    Path a = ProfileFixtures.manyStacksProgram("a");
    Path b = ProfileFixtures.manyStacksProgram("b");
    try (TestPipeline agent =
        TestPipeline.start(
            Set.of(ProfileProvider.NAME),
            Map.of(
                "profile.frequency",
                System.getProperty("stackloss.frequency", "499"),
                "profile.max-stacks",
                System.getProperty("stackloss.max-stacks", "2048"),
                "profile.off-cpu",
                "false",
                "profile.files",
                "false"),
            PhaseListener.NONE)) {
      ProfileCollector profile = agent.collector(ProfileProvider.NAME, ProfileCollector.class);
      Process pa = new ProcessBuilder(a.toString(), "4").redirectErrorStream(true).start();
      Process pb = new ProcessBuilder(b.toString(), "4").redirectErrorStream(true).start();
      assertThat(pa.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(pb.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(pa.exitValue()).isZero();
      assertThat(pb.exitValue()).isZero();
      long end = System.nanoTime();
      long deadline = end + TIMEOUT.toNanos();
      while (profile.drainedUntil() <= end) {
        assertThat(System.nanoTime())
            .as("ring drained past the fixtures' end")
            .isLessThan(deadline);
        Thread.onSpinWait();
      }
      profile.resolve();
      long[] ca = count(profile.window(true, (int) pa.pid()), "b_");
      long[] cb = count(profile.window(true, (int) pb.pid()), "a_");
      long samples = ca[0] + cb[0];
      long lost = ca[1] + cb[1];
      long foreign = ca[2] + cb[2];
      long[] s = profile.stats();
      System.out.printf(
          "stack loss: %d samples of the fixtures, %d without a stack (%.2f%%), %d with the other"
              + " fixture's frames; host-wide: %d on-CPU samples, collisions %d, stack errors %d,"
              + " stacks missing %d, map generations %d%n",
          samples,
          lost,
          100.0 * lost / Math.max(1, samples),
          foreign,
          s[0],
          profile.probe().counter(ProfileCounter.STACK_COLLISIONS),
          profile.probe().counter(ProfileCounter.STACK_ERRORS),
          s[3],
          s[4]);
      assertThat(samples).as("samples of the fixtures").isGreaterThan(100);
      assertThat(foreign).as("samples with the other process's frames").isZero();
      assertThat(lost).as("samples without a stack").isLessThan(samples / 8);
    }
  }

  /** Samples, those without a stack, and those with a frame named {@code foreign*}. */
  private static long[] count(WeightedStacks w, String foreign) {
    long[] out = new long[3];
    for (Map.Entry<List<String>, long[]> e : w.stacks().entrySet()) {
      long n = e.getValue()[0];
      out[0] += n;
      List<String> labels = e.getKey();
      if (labels.contains("[stack lost]")) {
        out[1] += n;
      } else if (labels.stream().anyMatch(l -> l.startsWith(foreign))) {
        out[2] += n;
      }
    }
    return out;
  }
}
