package dev.aiprof.api.sandbox;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a host pid is part of a sandbox, cached. An entry is valid while the pid's start time
 * ({@code /proc/PID/stat} field 22) is the same, so a reused pid is looked at again. At most {@link
 * #MAX_ENTRIES} entries; when full, the cache is emptied (counted in {@link #resets()}) rather than
 * grown. Thread-safe.
 */
public final class SandboxLookup {
  /** Entries kept, at most (about 100 bytes each). */
  public static final int MAX_ENTRIES = 4096;

  private record Entry(long startTicks, Optional<Sandbox> sandbox) {}

  private final HostPaths paths;
  private final ConcurrentHashMap<Integer, Entry> byPid = new ConcurrentHashMap<>();
  private volatile long resets;

  public SandboxLookup(HostPaths paths) {
    this.paths = paths;
  }

  /** The sandbox {@code pid} belongs to; empty for none or a pid that is gone. */
  public Optional<Sandbox> of(int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    long start = startTicks(pid);
    if (start < 0) {
      return Optional.empty();
    }
    Entry e = byPid.get(pid);
    if (e != null && e.startTicks() == start) {
      return e.sandbox();
    }
    Optional<Sandbox> s = ProcTree.sandboxOf(paths, pid);
    if (byPid.size() >= MAX_ENTRIES) {
      byPid.clear();
      resets++;
    }
    byPid.put(pid, new Entry(start, s));
    return s;
  }

  /** How often the cache was emptied for being full. */
  public long resets() {
    return resets;
  }

  private long startTicks(int pid) {
    try {
      String stat = Files.readString(paths.proc(Integer.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[19]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
