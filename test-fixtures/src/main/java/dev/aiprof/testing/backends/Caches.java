package dev.aiprof.testing.backends;

import java.nio.file.Path;

/**
 * Where downloaded backends are kept between runs: {@code $AIPROF_BUILD_DIR/backends/NAME} (the
 * module's target directory when Maven runs the tests), else {@code target/backends/NAME} under the
 * working directory. {@code mvn clean} removes them.
 */
final class Caches {
  private Caches() {}

  static Path dir(String name) {
    String build = System.getenv("AIPROF_BUILD_DIR");
    Path root = build == null || build.isBlank() ? Path.of("target") : Path.of(build);
    return root.toAbsolutePath().resolve("backends").resolve(name);
  }
}
