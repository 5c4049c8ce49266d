package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.ProcCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cgroup ids of a process (v2 id, v1 memory id: each directory's inode, as BPF reports them),
 * for map keys that are a pid: the agent's identity then resolves them to the workload. Cached per
 * pid for {@link #TTL_NS}, at most {@link #MAX} pids (least recently used go first). A pid that is
 * gone resolves to nothing. Thread-safe.
 */
public final class PidCgroups {
  static final int MAX = 4096;
  static final long TTL_NS = 30_000_000_000L;

  /** The two ids; 0 where unknown. */
  public record Ids(long v2, long v1) {}

  private final HostPaths paths;
  private final Map<Integer, Cached> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Cached> e) {
          return size() > MAX;
        }
      };

  private record Cached(Optional<Ids> ids, long atNs) {}

  public PidCgroups(HostPaths paths) {
    this.paths = paths;
  }

  public synchronized Optional<Ids> of(int pid, long nowNs) {
    Cached c = cache.get(pid);
    if (c == null || nowNs - c.atNs() > TTL_NS) {
      c = new Cached(read(pid), nowNs);
      cache.put(pid, c);
    }
    return c.ids();
  }

  private Optional<Ids> read(int pid) {
    Optional<ProcCgroups> cg = ProcCgroups.read(paths, pid);
    if (cg.isEmpty()) {
      return Optional.empty();
    }
    long v2 =
        cg.get()
            .v2Path()
            .map(
                p -> {
                  long a = inode(paths.cgroupfs().resolve("unified" + p));
                  return a != 0 ? a : inode(Path.of(paths.cgroupfs() + p));
                })
            .orElse(0L);
    String mem = cg.get().v1Paths().get("memory");
    long v1 = mem == null ? 0 : inode(paths.cgroupfs().resolve("memory" + mem));
    return Optional.of(new Ids(v2, v1));
  }

  static long inode(Path dir) {
    try {
      Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
      String s = String.valueOf(key);
      int at = s.indexOf("ino=");
      return at < 0 ? 0 : Long.parseLong(s.substring(at + 4, s.indexOf(')', at)));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
