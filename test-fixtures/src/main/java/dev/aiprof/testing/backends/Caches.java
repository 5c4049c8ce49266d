package dev.aiprof.testing.backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where downloaded backends are kept between runs, and between clones: {@code
 * $AIPROF_BACKENDS_DIR/NAME} when set, else {@code $XDG_CACHE_HOME/aiprof/backends/NAME} ({@code
 * ~/.cache/aiprof/backends/NAME} without it). A clean clone (CI) then does not download
 * VictoriaMetrics again or copy SkyWalking's 263 jars again (~5-20 s each time). When that
 * directory cannot be made, {@code $AIPROF_BUILD_DIR/backends/NAME} (the module's target directory
 * when Maven runs the tests), else {@code target/backends/NAME} under the working directory.
 *
 * <p>An entry is made in a staging directory beside it and published by one atomic rename, with a
 * {@code complete} file inside: several test runs on one host (parallel clones) never see half an
 * entry, and the first to finish wins. Delete the directory to fetch again.
 */
final class Caches {
  private Caches() {}

  static Path dir(String name) {
    return root().resolve(name);
  }

  private static Path root() {
    String own = System.getenv("AIPROF_BACKENDS_DIR");
    if (own != null && !own.isBlank()) {
      return Path.of(own).toAbsolutePath();
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path user =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    Path shared = user.resolve("aiprof").resolve("backends").toAbsolutePath();
    try {
      Files.createDirectories(shared);
      if (Files.isWritable(shared)) {
        return shared;
      }
    } catch (IOException | SecurityException e) {
      // fall back to the build directory
    }
    String build = System.getenv("AIPROF_BUILD_DIR");
    Path base = build == null || build.isBlank() ? Path.of("target") : Path.of(build);
    return base.toAbsolutePath().resolve("backends");
  }

  /** Whether {@code dir} is a published entry. */
  static boolean complete(Path dir) {
    return Files.exists(dir.resolve("complete"));
  }

  /** A new, empty staging directory beside {@code dir}, for {@link #publish}. */
  static Path staging(Path dir) {
    try {
      Files.createDirectories(dir.getParent());
      return Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".partial-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a staging directory beside " + dir, e);
    }
  }

  /**
   * Writes {@code complete} (with {@code what}) into {@code staging} and renames it to {@code dir};
   * when another run published {@code dir} first, drops {@code staging}. An unpublished {@code dir}
   * (a crashed fetch of an older layout) is replaced. Returns {@code dir}.
   */
  static Path publish(Path staging, Path dir, String what) {
    try {
      Files.writeString(staging.resolve("complete"), what + "\n");
      for (int attempt = 0; ; attempt++) {
        try {
          Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
          return dir;
        } catch (FileSystemException e) {
          // rename(2) onto a non-empty directory: ENOTEMPTY (or EEXIST), a plain
          // FileSystemException with ATOMIC_MOVE
          if (!Files.isDirectory(dir)) {
            throw e;
          }
          if (complete(dir)) {
            Directories.delete(staging);
            return dir;
          }
          if (attempt > 0) {
            throw e;
          }
          Directories.delete(dir);
        }
      }
    } catch (IOException e) {
      Directories.delete(staging);
      throw new UncheckedIOException("cannot publish " + dir, e);
    }
  }
}
