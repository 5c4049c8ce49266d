package dev.aiprof.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fake {@code libnvidia-ml.so.1} of {@code test-fixtures/fake-nvml}: NVML's C ABI from our own
 * declarations, serving a named system ({@code AIPROF_FAKE_NVML_SYSTEM}: {@code dgxh100}, {@code
 * a100-mig}, {@code nodriver}) and a test's script ({@code AIPROF_FAKE_NVML_SCRIPT}, re-read when
 * it changes; format in {@code fake-nvml/src/script.c}). Built by Maven's compile phase, and here
 * with the same Makefile if missing (a no-op when up to date).
 *
 * <p>The library reads its environment at {@code nvmlInit_v2}: a test that loads it in its own JVM
 * sets the variables through {@link Libc#setenv} first; a child process gets them from its
 * environment.
 */
public final class FakeNvml {
  public static final String SYSTEM_ENV = "AIPROF_FAKE_NVML_SYSTEM";
  public static final String SCRIPT_ENV = "AIPROF_FAKE_NVML_SCRIPT";

  private FakeNvml() {}

  /** The directory holding the full library (every function aiprof calls). */
  public static synchronized Path current() {
    return build().resolve("current");
  }

  /** The directory holding the library as before driver 535 (symbols missing). */
  public static synchronized Path old() {
    return build().resolve("old");
  }

  private static Path build() {
    Path src = root().resolve("test-fixtures/fake-nvml");
    Path out = root().resolve("test-fixtures/target/fake-nvml");
    run(src, "make", "-s", "OUT=" + out, "all");
    return out;
  }

  /**
   * The repository root: the first parent of the working directory with test-fixtures/fake-nvml.
   */
  public static Path root() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("test-fixtures/fake-nvml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError(
          "no test-fixtures/fake-nvml above " + System.getProperty("user.dir"));
    }
    return p;
  }

  private static void run(Path dir, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(List.of(cmd) + " failed (needs gcc and make):\n" + out);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + List.of(cmd) + " (needs gcc and make)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
