package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds what the marker tests run: libaiprof.so with the project's own Makefile (a no-op when the
 * Maven marker module built it already) and the C programs of src/test/c with gcc, at test time.
 */
final class MarkerBuild {
  private MarkerBuild() {}

  /** The repository root: the first parent of the working directory with marker/Makefile. */
  static Path root() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("marker/Makefile"))) {
      p = p.getParent();
    }
    assertThat(p).as("repository root above %s", System.getProperty("user.dir")).isNotNull();
    return p;
  }

  /** marker/target/libaiprof.so, made if missing or stale. */
  static synchronized Path library() {
    Path marker = root().resolve("marker");
    run(marker, "make", "OUT=" + marker.resolve("target"), "all");
    return marker.resolve("target/libaiprof.so");
  }

  /** Where test binaries go: this module's target/test-c. */
  static Path out() {
    String build = System.getenv("AIPROF_BUILD_DIR");
    Path dir = build != null ? Path.of(build) : root().resolve("collectors/target");
    try {
      return Files.createDirectories(dir.resolve("test-c"));
    } catch (IOException e) {
      throw new AssertionError("cannot create " + dir.resolve("test-c"), e);
    }
  }

  /** Compiles src/test/c/{name}.c against libaiprof.so (rpath set) plus {@code extra} flags. */
  static Path program(String name, String... extra) {
    Path lib = library();
    Path src = root().resolve("collectors/src/test/c");
    Path exe = out().resolve(name);
    List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-pthread"));
    cmd.addAll(List.of(extra));
    cmd.addAll(
        List.of(
            "-I" + root().resolve("marker/include"),
            "-I" + src,
            "-o",
            exe.toString(),
            src.resolve(name + ".c").toString(),
            "-L" + lib.getParent(),
            "-laiprof",
            "-Wl,-rpath," + lib.getParent(),
            "-ldl"));
    run(src, cmd.toArray(String[]::new));
    return exe;
  }

  /** Runs a build command in {@code dir}; fails the test with its output if it fails. */
  static String run(Path dir, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(cmd)).isTrue();
      assertThat(p.exitValue()).as("%s failed:%n%s", List.of(cmd), out).isZero();
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + List.of(cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
