package dev.aiprof.io.file;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.ProcStat;
import dev.aiprof.api.follow.ProcessKey;
import java.util.HashMap;
import java.util.Map;

/**
 * Which processes live, by {@link ProcessKey}: a process lives while {@code /proc/PID/stat} shows
 * its pid with its start time; a pid that is gone, or that now names a process started at another
 * time, is a process that exited. Each pid's stat is read once per instance (one fold's pass).
 *
 * <p>Not thread-safe: one instance per pass, on one thread.
 */
final class LiveProcesses {
  private static final long GONE = -1;

  private final HostPaths paths;
  private final Map<Integer, Long> startOfPid = new HashMap<>();

  LiveProcesses(HostPaths paths) {
    this.paths = paths;
  }

  /** Whether {@code p} still runs (a reused pid does not make it live). */
  boolean alive(ProcessKey p) {
    long start =
        startOfPid.computeIfAbsent(
            p.pid(), pid -> ProcStat.read(paths, pid).map(ProcStat::startTicks).orElse(GONE));
    return start == p.startTicks();
  }
}
