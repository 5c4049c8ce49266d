package dev.aiprof.custom.bcc;

import java.nio.file.Path;
import java.util.List;

/**
 * The parts of BCC ({@code libbcc.so.0}) the agent uses: USDT discovery, which reads ELF notes and
 * needs no kernel headers, and the C compiler, which does (callers go through {@link BccPrograms},
 * which refuses where the headers are absent). {@link JnaBcc} is the native binding; tests above it
 * use a hand-written fake. Implementations are thread-safe.
 */
public interface Bcc {
  /** The USDT probes of {@code binary} (an executable or a shared library). */
  List<UsdtProbe> usdtProbes(Path binary);

  /**
   * The USDT probes of the binaries process {@code pid} maps (its executable and libraries).
   *
   * @throws BccException when BCC cannot read the process
   */
  List<UsdtProbe> usdtProbes(int pid);

  /**
   * Compiles a BCC C program with BCC's runtime clang; a handle to free with {@link #destroy}.
   *
   * @throws BccException with BCC's reason when it does not compile
   */
  long compile(String source, List<String> cflags);

  void destroy(long module);
}
