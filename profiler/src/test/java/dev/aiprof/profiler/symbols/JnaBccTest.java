package dev.aiprof.profiler.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.testing.Requires;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The real binding: libbcc.so.0's symboliser names addresses of this process's own libc (found
 * through FFM's lookup), gives module + offset between symbols, and nothing for unmapped memory.
 */
@Requires(files = "/usr/lib/x86_64-linux-gnu/libbcc.so.0")
class JnaBccTest {
  private static final int PID = (int) ProcessHandle.current().pid();

  private static long address(String symbol) {
    MemorySegment s = Linker.nativeLinker().defaultLookup().find(symbol).orElseThrow();
    return s.address();
  }

  @Test
  void resolvesLibcFunctionsOfThisProcess() {
    Bcc bcc = JnaBcc.load();
    long cache = bcc.newCache(PID);
    assertThat(cache).isNotZero();
    try {
      Bcc.Symbol s = bcc.resolve(cache, address("getpid") + 1);
      assertThat(s.name()).contains("getpid");
      assertThat(s.module()).contains("libc.so");
      assertThat(s.offset()).isEqualTo(1);
      assertThat(bcc.resolve(cache, address("qsort")).name()).contains("qsort");
      assertThat(bcc.resolve(cache, 0x10)).as("nothing is mapped there").isNull();
    } finally {
      bcc.freeCache(cache, PID);
    }
  }

  @Test
  void theSymbolizerUsesItAndCachesTheAnswer() {
    AtomicLong clock = new AtomicLong();
    try (Symbolizer s =
        new Symbolizer(
            HostPaths.defaults(),
            JnaBcc.load(),
            Kallsyms.read(HostPaths.defaults().proc("kallsyms")),
            pid -> {},
            clock::get,
            4,
            64)) {
      long ip = address("getpid") + 4;
      assertThat(s.user(PID, ip).label()).contains("getpid");
      assertThat(s.user(PID, ip).label()).contains("getpid");
      assertThat(s.cacheHits()).isEqualTo(1);
    }
  }
}
