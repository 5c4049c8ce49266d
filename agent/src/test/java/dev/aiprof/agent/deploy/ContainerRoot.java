package dev.aiprof.agent.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes a directory that stood for a container's root: its files and the links in it, never what
 * the links (the host paths) point at. Close is idempotent.
 */
final class ContainerRoot implements AutoCloseable {
  private final Path root;

  ContainerRoot(Path root) {
    this.root = root;
  }

  @Override
  public void close() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("remove " + root, e);
    }
  }
}
