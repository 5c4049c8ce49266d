package dev.aiprof.agent.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Maps cgroup ids (what BPF reports: the directory's inode number) to cgroup paths and back, for
 * one hierarchy. The index is built by walking the hierarchy and rebuilt when an unknown id is
 * asked for: at once (at most every {@value #NEW_ID_WALK_MILLIS} ms) the first time that id is
 * missed, since a cgroup created after the last walk is the common case (a pod that just started),
 * and at most once per {@code minRefreshNanos} for an id missed before (a cgroup that is gone).
 *
 * <p>Thread-safe.
 */
public final class CgroupNames {
  private final Path root;
  private final long minRefreshNanos;
  private final Map<Long, String> byId = new ConcurrentHashMap<>();
  private volatile long lastRefresh = Long.MIN_VALUE / 2;

  static final long NEW_ID_WALK_MILLIS = 250;
  private static final int MAX_MISSED = 4096;
  private final Set<Long> missed = new HashSet<>();

  public CgroupNames(Path root, long minRefreshNanos) {
    this.root = root;
    this.minRefreshNanos = minRefreshNanos;
  }

  public Path root() {
    return root;
  }

  /**
   * The path of cgroup {@code id} relative to the hierarchy root, starting with "/". An unknown id
   * waits for a walk in progress, or starts one when it is due (see the class comment).
   */
  public Optional<String> path(long id) {
    String p = byId.get(id);
    return Optional.ofNullable(p != null ? p : walkFor(id));
  }

  private synchronized String walkFor(long id) {
    String p = byId.get(id); // a walk that just ended may have found it
    if (p != null) {
      return p;
    }
    long every = missed.contains(id) ? minRefreshNanos : NEW_ID_WALK_MILLIS * 1_000_000;
    if (System.nanoTime() - lastRefresh > every) {
      refresh();
      p = byId.get(id);
      if (p == null) {
        if (missed.size() >= MAX_MISSED) {
          missed.clear();
        }
        missed.add(id); // a walk did not find it: gone, or not a cgroup of this hierarchy
      }
    }
    return p;
  }

  /** The id of the cgroup at {@code path} (absolute, or relative to the root). */
  public static long idOf(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
  }

  /**
   * Walks the hierarchy again. Cgroups removed since the last walk are forgotten (the index holds
   * the live hierarchy only), unless the walk ended early, when what it did not reach is kept.
   */
  public synchronized void refresh() {
    lastRefresh = System.nanoTime();
    Map<Long, String> found = new HashMap<>();
    boolean complete = true;
    try (Stream<Path> dirs = Files.walk(root)) {
      dirs.filter(Files::isDirectory)
          .forEach(
              d -> {
                try {
                  found.put(idOf(d), "/" + root.relativize(d));
                } catch (IOException e) {
                  // The cgroup went away while we walked: nothing to name.
                }
              });
    } catch (IOException | java.io.UncheckedIOException e) {
      complete = false; // a vanished directory ends the walk early; what was indexed stays
    }
    if (complete) {
      byId.keySet().retainAll(found.keySet());
    }
    byId.putAll(found);
  }

  /** Whether cgroup {@code id} was in the latest walk (no walk here). */
  public boolean known(long id) {
    return byId.containsKey(id);
  }
}
