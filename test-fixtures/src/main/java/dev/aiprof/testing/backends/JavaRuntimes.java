package dev.aiprof.testing.backends;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds an installed Java runtime of a given major-version range under {@code /usr/lib/jvm}, for a
 * backend that does not run on the JDK the tests use.
 */
final class JavaRuntimes {
  private static final Path JVMS = Path.of("/usr/lib/jvm");

  private JavaRuntimes() {}

  /** The {@code bin/java} of the newest runtime with a major version in [min, max], if any. */
  static Optional<Path> find(int min, int max) {
    Path best = null;
    int bestMajor = -1;
    if (Files.isDirectory(JVMS)) {
      try (DirectoryStream<Path> homes = Files.newDirectoryStream(JVMS)) {
        for (Path home : homes) {
          Path java = home.resolve("bin/java");
          Path release = home.resolve("release");
          if (!Files.isExecutable(java) || !Files.isReadable(release)) {
            continue;
          }
          int major = major(Files.readString(release));
          if (major >= min && major <= max && major > bestMajor) {
            best = java;
            bestMajor = major;
          }
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(best);
  }

  /** The major version in a JDK {@code release} file's {@code JAVA_VERSION}, or -1. */
  static int major(String release) {
    for (String line : release.split("\\n")) {
      if (line.startsWith("JAVA_VERSION=")) {
        String v = line.substring(13).replace("\"", "").strip();
        String first = v.startsWith("1.") ? v.substring(2) : v;
        String digits = first.split("[^0-9]", 2)[0];
        return digits.isEmpty() ? -1 : Integer.parseInt(digits);
      }
    }
    return -1;
  }
}
