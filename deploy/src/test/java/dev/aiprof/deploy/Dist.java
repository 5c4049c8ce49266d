package dev.aiprof.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** Where {@code mvn package} put the distribution (deploy/target). Stateless. */
final class Dist {
  private Dist() {}

  static final String VERSION = System.getProperty("aiprof.version", "0.1.0-SNAPSHOT");

  /** The module's build directory (failsafe passes AIPROF_BUILD_DIR). */
  static Path target() {
    String dir = System.getenv("AIPROF_BUILD_DIR");
    return Path.of(dir == null ? "target" : dir).toAbsolutePath();
  }

  /** The repository root (deploy/..). */
  static Path repo() {
    return target().getParent().getParent();
  }

  static Path tarball() {
    return existing(target().resolve("aiprof-" + VERSION + "-linux-amd64.tar.gz"));
  }

  static Path deb() {
    return existing(target().resolve("aiprof_" + debVersion() + "_amd64.deb"));
  }

  static String debVersion() {
    return VERSION.replaceFirst("-SNAPSHOT$", "~snapshot");
  }

  private static Path existing(Path p) {
    assertThat(p).as("built by mvn package in deploy/").isRegularFile();
    return p;
  }
}
