package dev.aiprof.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A scratch root that dpkg installs into ({@code dpkg --root}): an empty dpkg database, maintainer
 * scripts run with DPKG_ROOT set (they act under it, never on the host). Close deletes it.
 */
final class ScratchRoot implements AutoCloseable {
  final Path dir;

  ScratchRoot() throws IOException {
    dir = Files.createTempDirectory("aiprof-root");
    Files.createDirectories(dir.resolve("var/lib/dpkg/info"));
    Files.createDirectories(dir.resolve("var/lib/dpkg/updates"));
    Files.createFile(dir.resolve("var/lib/dpkg/status"));
  }

  /**
   * dpkg ARGS... against this root; the scratch root lacks libc6 and libbpf1, the host has them.
   */
  Cmd dpkg(String... args) {
    List<String> c = new ArrayList<>(List.of("dpkg", "--root=" + dir, "--force-script-chrootless"));
    c.add("--force-depends");
    c.addAll(List.of(args));
    return Cmd.run(c);
  }

  /** dpkg-query's field of the aiprof package in this root. */
  String query(String format) {
    return Cmd.run(
            List.of(
                "dpkg-query",
                "--admindir=" + dir.resolve("var/lib/dpkg"),
                "-W",
                "-f=" + format,
                "aiprof"))
        .out();
  }

  Path path(String absolute) {
    return dir.resolve(absolute.substring(1));
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
