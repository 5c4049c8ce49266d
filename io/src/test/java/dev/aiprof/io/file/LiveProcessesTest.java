package dev.aiprof.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.ProcessKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Liveness by pid and start time, on a fixture /proc tree. */
class LiveProcessesTest {
  @TempDir Path proc;

  @Test
  void aProcessLivesWhileItsPidShowsItsStartTime() throws IOException {
    stat(100, 5_000);
    LiveProcesses live = new LiveProcesses(paths());
    assertThat(live.alive(new ProcessKey(100, 5_000))).isTrue();
    assertThat(live.alive(new ProcessKey(100, 4_000)))
        .as("the pid's earlier process: its pid was reused")
        .isFalse();
    assertThat(live.alive(new ProcessKey(101, 5_000))).as("no such pid").isFalse();
  }

  @Test
  void aProcessFromTheRealProcIsAliveAndOneWithAnotherStartIsNot() {
    LiveProcesses live = new LiveProcesses(HostPaths.defaults());
    int self = (int) ProcessHandle.current().pid();
    long start =
        dev.aiprof.api.follow.ProcStat.read(HostPaths.defaults(), self).orElseThrow().startTicks();
    assertThat(live.alive(new ProcessKey(self, start))).isTrue();
    assertThat(new LiveProcesses(HostPaths.defaults()).alive(new ProcessKey(self, start + 1)))
        .isFalse();
  }

  private HostPaths paths() {
    HostPaths d = HostPaths.defaults();
    return new HostPaths(proc, d.sysfs(), d.cgroupfs());
  }

  private void stat(int pid, long startTicks) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
    // pid (comm) state ppid pgrp session tty tpgid flags(9) ... starttime(22)
    StringBuilder line = new StringBuilder(pid + " (a (b) c) S 1 1 1 0 -1 4194560");
    for (int field = 10; field < 22; field++) {
      line.append(" 0");
    }
    line.append(' ').append(startTicks).append(" 0 0\n");
    Files.writeString(dir.resolve("stat"), line);
  }
}
