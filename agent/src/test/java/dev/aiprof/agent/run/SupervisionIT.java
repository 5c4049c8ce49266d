package dev.aiprof.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.cli.CliRun;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain of supervision in a real {@code aiprof run}: a fault that keeps killing the
 * correlation engine's loop (the test collector's signal throws StackOverflowError, {@code
 * tick.fail=true}) is restarted with backoff, then given up; the supervisor stops the agent, which
 * flushes, detaches and exits 70 naming the thread and the cause, long before its duration ends.
 */
@Requires(
    root = true,
    files = {"/sys/kernel/btf/vmlinux"})
@NoBpfLeaks
class SupervisionIT {
  @TempDir Path dir;

  @Test
  void aThreadThatKeepsDyingEndsTheAgentWithExit70AndTheCause() {
    long t0 = System.nanoTime();
    CliRun r =
        CliRun.of(
            "run",
            "--duration",
            "120s",
            "--collectors",
            "tick",
            "--set",
            "tick.interval=50ms",
            "--set",
            "tick.fail=true",
            "--no-prometheus",
            "--output-dir",
            dir.toString());
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("supervision: exit %d after %.1f s:%n%s", r.status(), s, r.err());
    assertThat(r.status()).as(r.err()).isEqualTo(70);
    assertThat(r.err())
        .contains(
            "aiprof run: stopping (thread aiprof-correlation died: java.lang.StackOverflowError")
        .contains("aiprof run: exiting 70: thread aiprof-correlation died");
    assertThat(s).as("ended by the supervisor, not the duration").isLessThan(60);
  }
}
