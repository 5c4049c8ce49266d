package dev.aiprof.gpu.nvml;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.ProcCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup ids of a GPU process ({@code /proc/PID/cgroup} → the v2 and the v1 memory cgroup
 * directories' inode numbers), which the agent enriches to pod and container attributes. Paths come
 * from {@link HostPaths}, so containers and fixture trees work. Cached per pid for the life of the
 * process on the GPU ({@link #retain}), at most {@link #CAPACITY} pids. Thread-safe (the devices'
 * sampling tasks share it; a read of /proc holds the lock, a few microseconds).
 */
final class ProcessCgroups {
  static final int CAPACITY = 4096;

  /** The ids; 0 where unknown. */
  record Ids(long v2, long v1) {}

  /** The two paths of a /proc/PID/cgroup file, relative to their hierarchy's root. */
  record Paths(String v2, String v1Memory) {}

  private final HostPaths host;
  private final Map<Integer, Ids> cache = new LinkedHashMap<>(16, 0.75f, true);

  ProcessCgroups(HostPaths host) {
    this.host = host;
  }

  synchronized Ids of(int pid) {
    Ids ids = cache.get(pid);
    if (ids == null) {
      ids = read(pid);
      if (cache.size() >= CAPACITY) {
        cache.remove(cache.keySet().iterator().next());
      }
      cache.put(pid, ids);
    }
    return ids;
  }

  /** Forgets every pid not in {@code running} (pids are reused). */
  synchronized void retain(Set<Integer> running) {
    cache.keySet().retainAll(running);
  }

  private Ids read(int pid) {
    try {
      Paths p = parse(Files.readString(host.proc(Integer.toString(pid), "cgroup")));
      return new Ids(
          inode(v2Root(), p.v2()), inode(host.cgroupfs().resolve("memory"), p.v1Memory()));
    } catch (IOException e) {
      return new Ids(0, 0);
    }
  }

  private Optional<Path> v2Root() {
    Path root = host.cgroupfs();
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      return Optional.of(root);
    }
    Path unified = root.resolve("unified");
    return Files.exists(unified.resolve("cgroup.controllers"))
        ? Optional.of(unified)
        : Optional.empty();
  }

  private static long inode(Path root, String rel) {
    return inode(Optional.of(root), rel);
  }

  private static long inode(Optional<Path> root, String rel) {
    if (root.isEmpty() || rel == null) {
      return 0;
    }
    try {
      Object ino = Files.getAttribute(root.get().resolve(rel.substring(1)), "unix:ino");
      return ino instanceof Long l ? l : 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 0;
    }
  }

  /** The v2 path ({@code 0::/...}) and the v1 memory path ({@code N:...memory...:/...}). */
  static Paths parse(String procCgroup) {
    ProcCgroups c = ProcCgroups.parse(procCgroup);
    return new Paths(c.v2Path().orElse(null), c.v1Paths().get("memory"));
  }
}
