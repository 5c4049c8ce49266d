package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfCostTest {
  @Test
  void compilerTimeIsTheSumOfTheJitThreadsSchedstat(@TempDir Path tasks) throws IOException {
    task(tasks, 10, "C2 CompilerThre", "7000000 100 5");
    task(tasks, 11, "C1 CompilerThre", "3000000 10 2");
    task(tasks, 12, "aiprof-sched-ev", "90000000 1 1");
    assertThat(SelfCost.compilerCpuNs(tasks)).isEqualTo(10_000_000);
  }

  @Test
  void thisJvmsCompilerThreadsAreFound() {
    assertThat(SelfCost.compilerCpuNs(Path.of("/proc/self/task")))
        .as("HotSpot's C1/C2 threads by their names, after the JIT compiled this test's code")
        .isPositive();
  }

  @Test
  void perEventCostWithAndWithoutTheJit() {
    SelfCost c = new SelfCost(300_000_000, 200_000_000, 2_000_000, 0, 0);
    assertThat(c.cpuSecondsPerMillionEvents()).isEqualTo(0.15);
    assertThat(c.cpuSecondsPerMillionEventsWithoutJit()).isEqualTo(0.05);
  }

  private static void task(Path tasks, int tid, String comm, String schedstat) throws IOException {
    Path t = Files.createDirectories(tasks.resolve(Integer.toString(tid)));
    Files.writeString(t.resolve("comm"), comm + "\n");
    Files.writeString(t.resolve("schedstat"), schedstat + "\n");
  }
}
