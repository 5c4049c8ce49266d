package dev.aiprof.api.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatTest {
  private static final String KWORKER =
      "57 (kworker/0:1H-kblockd) I 2 0 0 0 -1 69238880 0 0 0 0 0 3 0 0 0 -20 1 0 118 0 0"
          + " 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

  @Test
  void readsFlagsAndStartTimeCountingFromTheLastParenthesis() {
    ProcStat s =
        ProcStat.parse(
            4242,
            "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 158 0 0 0 1 2 0 0 20 0 3 0 987654 1 2 3\n");
    assertThat(s.startTicks()).isEqualTo(987654);
    assertThat(s.flags()).isEqualTo(4194560);
    assertThat(s.kernelThread()).isFalse();
    assertThat(ProcStat.parse(57, KWORKER).kernelThread()).isTrue();
    assertThat(ProcStat.parse(57, KWORKER).startTicks()).isEqualTo(118);
  }

  @Test
  void refusesWhatIsNotAStatLine() {
    assertThatThrownBy(() -> ProcStat.parse(1, "1 (init) S 0 1 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a /proc/PID/stat line");
    assertThatThrownBy(() -> ProcStat.parse(1, "no parenthesis at all"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisProcessAndNothingForAPidThatIsGone(@TempDir Path tmp) throws Exception {
    ProcStat self = ProcStat.read(HostPaths.defaults(), (int) ProcessHandle.current().pid()).get();
    String line = Files.readString(Path.of("/proc/self/stat"));
    assertThat(self.startTicks()).isEqualTo(ProcStat.parse(self.pid(), line).startTicks());
    assertThat(self.startTicks()).isPositive();

    Path proc = Files.createDirectories(tmp.resolve("proc/77"));
    Files.writeString(proc.resolve("stat"), "77 (x) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5");
    HostPaths paths = new HostPaths(tmp.resolve("proc"), tmp, tmp);
    assertThat(ProcStat.read(paths, 77).map(ProcStat::startTicks)).contains(5L);
    assertThat(ProcStat.read(paths, 78)).isEmpty();
    assertThat(ProcStat.read(paths, 0)).isEmpty();
  }
}
