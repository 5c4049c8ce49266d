package dev.aiprof.agent.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Maps cgroup ids (what BPF reports: the directory's inode number) to cgroup paths and back, for
 * one hierarchy. The index is built by walking the hierarchy and rebuilt when an unknown id is
 * asked for, at most once per {@code minRefreshNanos}.
 *
 * <p>Thread-safe.
 */
public final class CgroupNames {
  private final Path root;
  private final long minRefreshNanos;
  private final Map<Long, String> byId = new ConcurrentHashMap<>();
  private volatile long lastRefresh = Long.MIN_VALUE / 2;

  public CgroupNames(Path root, long minRefreshNanos) {
    this.root = root;
    this.minRefreshNanos = minRefreshNanos;
  }

  public Path root() {
    return root;
  }

  /**
   * The path of cgroup {@code id} relative to the hierarchy root, starting with "/". An unknown id
   * waits for a walk in progress, or starts one if none ran within {@code minRefreshNanos}.
   */
  public Optional<String> path(long id) {
    String p = byId.get(id);
    return Optional.ofNullable(p != null ? p : walkFor(id));
  }

  private synchronized String walkFor(long id) {
    String p = byId.get(id); // a walk that just ended may have found it
    if (p == null && System.nanoTime() - lastRefresh > minRefreshNanos) {
      refresh();
      p = byId.get(id);
    }
    return p;
  }

  /** The id of the cgroup at {@code path} (absolute, or relative to the root). */
  public static long idOf(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
  }

  public synchronized void refresh() {
    lastRefresh = System.nanoTime();
    try (Stream<Path> dirs = Files.walk(root)) {
      dirs.filter(Files::isDirectory)
          .forEach(
              d -> {
                try {
                  byId.put(idOf(d), "/" + root.relativize(d));
                } catch (IOException e) {
                  // The cgroup went away while we walked: nothing to name.
                }
              });
    } catch (IOException | java.io.UncheckedIOException e) {
      // A vanished directory ends the walk early; what was indexed stays.
    }
  }
}
