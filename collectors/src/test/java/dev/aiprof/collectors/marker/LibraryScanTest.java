package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.phase.LibraryId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery over a fixture procfs: two processes share one file, one maps another copy. */
class LibraryScanTest {
  @Test
  void groupsProcessesByLibraryFile(@TempDir Path proc) throws Exception {
    maps(
        proc,
        "100",
        "1000-2000 r--p 00000000 fe:01 42 /opt/a/libaiprof.so",
        "2000-3000 r-xp 00001000 fe:01 42 /opt/a/libaiprof.so",
        "3000-4000 r-xp 00000000 fe:01 7 /usr/lib/libc.so.6");
    maps(proc, "200", "1000-2000 r-xp 00001000 fe:01 42 /opt/a/libaiprof.so");
    maps(proc, "300", "1000-2000 r-xp 00001000 00:2f 99 /app/libaiprof.so");
    maps(proc, "400", "1000-2000 r-xp 00001000 fe:01 7 /usr/lib/libc.so.6");
    Files.createDirectories(proc.resolve("self"));
    Files.createDirectories(proc.resolve("500")); // no maps: a process that just exited
    LibraryScan s = LibraryScan.of(new HostPaths(proc, proc, proc));
    assertThat(s.pids()).containsExactlyInAnyOrder(100, 200, 300);
    assertThat(s.libraries().get(new LibraryId(0xfe, 1, 42)))
        .containsExactlyInAnyOrder(
            proc.resolve("100/root/opt/a/libaiprof.so"),
            proc.resolve("200/root/opt/a/libaiprof.so"));
    assertThat(s.libraries().get(new LibraryId(0, 0x2f, 99)))
        .containsExactly(proc.resolve("300/root/app/libaiprof.so"));
    assertThat(s.libraries()).hasSize(2);
  }

  @Test
  void knownProcessesAreReReadOnlyAfterTheInterval(@TempDir Path proc) throws Exception {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    LibraryScan.Cache cache = new LibraryScan.Cache(30, now::get);
    HostPaths paths = new HostPaths(proc, proc, proc);
    maps(proc, "100", "3000-4000 r-xp 00000000 fe:01 7 /usr/lib/libc.so.6");
    assertThat(LibraryScan.of(paths, cache).pids()).isEmpty();
    // pid 100 dlopens the library, pid 200 starts with it
    maps(proc, "100", "1000-2000 r-xp 00001000 fe:01 42 /opt/a/libaiprof.so");
    maps(proc, "200", "1000-2000 r-xp 00001000 fe:01 42 /opt/a/libaiprof.so");
    now.set(10);
    assertThat(LibraryScan.of(paths, cache).pids()).as("new ones at once").containsExactly(200);
    now.set(31);
    assertThat(LibraryScan.of(paths, cache).pids())
        .as("known ones after the interval")
        .containsExactlyInAnyOrder(100, 200);
    Files.delete(proc.resolve("200/maps"));
    Files.delete(proc.resolve("200"));
    assertThat(LibraryScan.of(paths, cache).pids())
        .as("exited ones forgotten")
        .containsExactly(100);
  }

  private static void maps(Path proc, String pid, String... lines) throws Exception {
    Path dir = Files.createDirectories(proc.resolve(pid));
    Files.write(dir.resolve("maps"), java.util.List.of(lines));
  }
}
