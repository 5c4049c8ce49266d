package dev.aiprof.agent.profile;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put things the tests run. */
public final class Repo {
  private Repo() {}

  public static Path root() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("marker/Makefile"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError("no repository root above " + System.getProperty("user.dir"));
    }
    return p;
  }

  /** marker/target/libaiprof.so, built by the marker module before this one. */
  public static Path markerLibrary() {
    Path lib = root().resolve("marker/target/libaiprof.so");
    if (!Files.exists(lib)) {
      throw new AssertionError(lib + " is missing: build the marker module (mvn -pl marker)");
    }
    return lib;
  }
}
