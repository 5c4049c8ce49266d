package dev.aiprof.profiler.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The symboliser's order (perf map, BCC, module + offset), its caches and their bounds. */
class SymbolizerTest {
  @TempDir Path proc;
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<Integer> perfMapRequests = new ArrayList<>();
  private FakeBcc bcc;
  private Kallsyms kernel;

  @BeforeEach
  void setUp() throws Exception {
    for (int pid : List.of(10, 11, 12)) {
      Files.createDirectories(proc.resolve(pid + "/root/tmp"));
      Files.writeString(
          proc.resolve(pid + "/stat"),
          pid + " (x) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 " + (100 + pid) + " 0 0\n");
    }
    bcc =
        new FakeBcc()
            .module(10, 0x400000, 0x10000, "/usr/bin/app")
            .function(10, 0x401000, 0x100, "crunch")
            .module(10, 0x7f0000000000L, 0x200000, "/usr/lib/libc.so.6");
    kernel = Kallsyms.parse(new StringReader("ffffffff81001000 T schedule\n"));
  }

  private Symbolizer symbolizer(int maxProcesses, int maxFrames) {
    return new Symbolizer(
        new HostPaths(proc, proc, proc),
        bcc,
        kernel,
        perfMapRequests::add,
        clock::get,
        maxProcesses,
        maxFrames);
  }

  @Test
  void namesFunctionsAndKeepsModulePlusOffsetForTheRest() {
    try (Symbolizer s = symbolizer(8, 64)) {
      Frame[] f = s.user(10, new long[] {0x401010, 0x7f0000000123L, 0x500});
      assertThat(f[0].label()).isEqualTo("crunch");
      assertThat(f[0].offset()).isEqualTo(0x10);
      assertThat(f[1].label()).isEqualTo("libc.so.6+0x123");
      assertThat(f[2].label()).as("not even a module").isEqualTo("0x500");
      assertThat(s.kernel(0xffffffff81001005L).label()).isEqualTo("schedule");
    }
  }

  @Test
  void framesAreCachedAndTheCacheIsBounded() {
    try (Symbolizer s = symbolizer(8, 2)) {
      s.user(10, 0x401010);
      s.user(10, 0x401010);
      assertThat(bcc.resolves).isEqualTo(1);
      assertThat(s.cacheHits()).isEqualTo(1);
      s.user(10, 0x401011);
      s.user(10, 0x401012); // evicts 0x401010
      s.user(10, 0x401010);
      assertThat(bcc.resolves).isEqualTo(4);
      s.user(10, 0x500);
      s.user(10, 0x500);
      assertThat(bcc.resolves).as("an unresolved frame is cached too").isEqualTo(5);
    }
  }

  @Test
  void processesAreBoundedAndEvictedOnesFreeTheirBccCache() {
    try (Symbolizer s = symbolizer(2, 64)) {
      s.user(10, 0x401010);
      s.user(11, 0x401010);
      s.user(12, 0x401010);
      assertThat(bcc.created).containsExactly(10, 11, 12);
      assertThat(bcc.freed).containsExactly(10);
    }
    assertThat(bcc.freed).containsExactlyInAnyOrder(10, 11, 12);
  }

  @Test
  void aReusedPidGetsFreshCaches() throws Exception {
    try (Symbolizer s = symbolizer(8, 64)) {
      s.user(10, 0x401010);
      Files.writeString(
          proc.resolve("10/stat"),
          "10 (y) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0\n");
      clock.addAndGet(Symbolizer.IDENTITY_CHECK_NS);
      s.user(10, 0x401010);
      assertThat(bcc.created).containsExactly(10, 10);
      assertThat(bcc.freed).containsExactly(10);
    }
  }

  @Test
  void jitCodeIsNamedFromThePerfMapWhichIsAskedForAndReread() throws Exception {
    try (Symbolizer s = symbolizer(8, 64)) {
      long jit = 0x7e0000001010L;
      assertThat(s.user(10, jit).resolved()).isFalse();
      assertThat(perfMapRequests).as("unknown anonymous code: ask the JIT").containsExactly(10);
      Files.writeString(proc.resolve("10/root/tmp/perf-10.map"), "7e0000001000 100 Foo.bar\n");
      assertThat(s.user(10, jit).resolved()).as("re-read only after the retry interval").isFalse();
      clock.addAndGet(Symbolizer.PERF_MAP_RETRY_NS);
      Frame f = s.user(10, jit);
      assertThat(f.label()).isEqualTo("Foo.bar");
      assertThat(f.module()).isEqualTo("[jit]");
    }
  }
}
