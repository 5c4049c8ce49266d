package dev.aiprof.gpu.nvml;

import dev.aiprof.testing.FakeNvml;
import dev.aiprof.testing.Libc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Opens the fake libnvidia-ml.so.1 in this JVM for one system and script. */
final class FakeLibrary {
  private FakeLibrary() {}

  /** The full library, initialised, serving {@code system} with {@code script} (may be null). */
  static JnaNvml open(String system, Path script) {
    return open(FakeNvml.current(), system, script);
  }

  static JnaNvml open(Path dir, String system, Path script) {
    Libc.setenv(FakeNvml.SYSTEM_ENV, system);
    Libc.setenv(FakeNvml.SCRIPT_ENV, script == null ? null : script.toString());
    JnaNvml nvml = JnaNvml.load(Optional.of(dir.resolve(JnaNvml.LIBRARY)));
    nvml.init();
    return nvml;
  }

  static Path script(Path dir, String text) {
    try {
      return Files.writeString(dir.resolve("nvml-script"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
