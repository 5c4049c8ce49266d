package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessFactsTest {
  static final String STAT =
      "4242 (python3 (x) y) S 1 4242 4242 0 -1 4194560 2514 0 0 0 12 3 0 0 20 0 4 0 987654 "
          + "125829120 3012 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0";

  @Test
  void startTimeIsField22EvenWithParensAndSpacesInComm() {
    assertThat(ProcessFacts.startTicks(STAT)).isEqualTo(987654L);
  }

  @Test
  void executableNameIsTheBaseNameWithoutDeleted() {
    assertThat(ProcessFacts.executableName("/usr/bin/python3.11")).isEqualTo("python3.11");
    assertThat(ProcessFacts.executableName("/opt/app/server (deleted)")).isEqualTo("server");
  }

  @Test
  void readsAFixtureProcTreeAndFallsBackToCommWithoutExe(@TempDir Path proc) throws Exception {
    Path dir = Files.createDirectories(proc.resolve("4242"));
    Files.writeString(dir.resolve("stat"), STAT);
    Files.writeString(dir.resolve("comm"), "python3\n");
    HostPaths paths = new HostPaths(proc, proc, proc);
    assertThat(ProcessFacts.read(paths, 4242)).contains(new ProcessFacts(4242, "python3", 987654));
    Files.createSymbolicLink(dir.resolve("exe"), Path.of("/usr/bin/python3.11"));
    assertThat(ProcessFacts.read(paths, 4242).orElseThrow().executableName())
        .isEqualTo("python3.11");
    assertThat(ProcessFacts.read(paths, 4243)).isEmpty();
    assertThat(ProcessFacts.startTicksOf(paths, 4243)).isEqualTo(-1);
  }

  @Test
  void readsThisProcess() {
    int pid = (int) ProcessHandle.current().pid();
    ProcessFacts f = ProcessFacts.read(HostPaths.defaults(), pid).orElseThrow();
    assertThat(f.executableName()).isEqualTo("java");
    assertThat(f.startTicks()).isPositive();
  }
}
