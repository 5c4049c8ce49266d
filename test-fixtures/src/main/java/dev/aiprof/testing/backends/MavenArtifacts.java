package dev.aiprof.testing.backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An artifact and its runtime dependencies, as jars in a cached directory, fetched with the
 * machine's Maven ({@code mvn} on the PATH, its settings and local repository) the first time.
 * {@code AIPROF_OFFLINE=1} makes Maven work offline, as the launcher's build does.
 */
final class MavenArtifacts {
  private static final String COPY =
      "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies";

  private MavenArtifacts() {}

  /** The directory of jars for {@code groupId:artifactId:version}, fetched when not cached. */
  static Path resolve(String groupId, String artifactId, String version)
      throws InterruptedException {
    Path dir = Caches.dir(artifactId + "-" + version);
    if (Caches.complete(dir)) {
      return dir.resolve("lib");
    }
    Path staging = Caches.staging(dir);
    try {
      Path lib = staging.resolve("lib");
      Files.writeString(staging.resolve("pom.xml"), pom(groupId, artifactId, version));
      List<String> cmd = new ArrayList<>(List.of("mvn", "-q", "-B"));
      if ("1".equals(System.getenv("AIPROF_OFFLINE"))) {
        cmd.add("-o");
      }
      cmd.addAll(List.of(COPY, "-DoutputDirectory=" + lib, "-DincludeScope=runtime"));
      Command.run(cmd, staging, Map.of(), staging.resolve("fetch.log"), Duration.ofMinutes(10));
    } catch (IOException e) {
      Directories.delete(staging);
      throw new UncheckedIOException("cannot prepare " + dir, e);
    } catch (RuntimeException | InterruptedException e) {
      Directories.delete(staging);
      throw e;
    }
    return Caches.publish(staging, dir, groupId + ":" + artifactId + ":" + version).resolve("lib");
  }

  private static String pom(String groupId, String artifactId, String version) {
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>dev.aiprof.backends</groupId>
          <artifactId>%2$s-runtime</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
          <dependencies>
            <dependency>
              <groupId>%1$s</groupId>
              <artifactId>%2$s</artifactId>
              <version>%3$s</version>
            </dependency>
          </dependencies>
        </project>
        """
        .formatted(groupId, artifactId, version);
  }
}
