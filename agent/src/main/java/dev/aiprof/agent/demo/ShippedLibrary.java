package dev.aiprof.agent.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build puts libaiprof.so for the agent: {@code lib/libaiprof.so} beside the agent's jar
 * (or its classes directory). Found without loading it.
 */
public final class ShippedLibrary {
  private ShippedLibrary() {}

  /** The library's path, or null when the build did not ship it. */
  public static Path path() {
    try {
      Path code =
          Path.of(ShippedLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path lib = code.getParent().resolve("lib/libaiprof.so");
      return Files.isReadable(lib) ? lib : null;
    } catch (java.net.URISyntaxException | SecurityException e) {
      return null;
    }
  }
}
