package dev.aiprof.collectors.marker;

import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.phase.LibraryId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over {@code /proc/*}{@code /maps}: every marker library file mapped now, each with the
 * paths that reach it from the agent ({@code /proc/PID/root/<path>}, one per process mapping it, so
 * files inside containers work), and the processes that map one. Processes that exit or cannot be
 * read during the pass are skipped. {@link Cache} makes repeated passes cheap: a process's maps are
 * read when it is new and then only every so often.
 *
 * @param libraries library file → paths to it, in the order the processes were found
 * @param pids processes mapping a marker library
 */
record LibraryScan(Map<LibraryId, List<Path>> libraries, Set<Integer> pids) {

  static LibraryScan of(HostPaths paths) throws IOException {
    return of(paths, new Cache(0, System::nanoTime));
  }

  /**
   * What each process mapped when its maps were last read: new processes are read at once, known
   * ones again after {@code rereadNanos} (a library loaded later with dlopen is found then). Not
   * thread-safe.
   */
  static final class Cache {
    private final long rereadNanos;
    private final java.util.function.LongSupplier clock;
    private final Map<Integer, Set<MappedLibrary>> mapped = new HashMap<>();
    private final Map<Integer, Long> readAt = new HashMap<>();

    Cache(long rereadNanos, java.util.function.LongSupplier clock) {
      this.rereadNanos = rereadNanos;
      this.clock = clock;
    }

    Set<MappedLibrary> of(int pid, Path maps) {
      long now = clock.getAsLong();
      Long at = readAt.get(pid);
      if (at == null || now - at >= rereadNanos) {
        mapped.put(pid, mappedBy(maps));
        readAt.put(pid, now);
      }
      return mapped.get(pid);
    }

    void retain(Set<Integer> live) {
      mapped.keySet().retainAll(live);
      readAt.keySet().retainAll(live);
    }
  }

  static LibraryScan of(HostPaths paths, Cache cache) throws IOException {
    Map<LibraryId, List<Path>> libraries = new HashMap<>();
    Set<Integer> pids = new HashSet<>();
    Set<Integer> live = new HashSet<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(paths.procfs())) {
      for (Path dir : procs) {
        int pid = ProcMaps.pidOf(dir.getFileName().toString());
        if (pid > 0) {
          live.add(pid);
          for (MappedLibrary lib : cache.of(pid, dir.resolve("maps"))) {
            pids.add(pid);
            libraries
                .computeIfAbsent(lib.id(), id -> new ArrayList<>())
                .add(dir.resolve("root").resolve(lib.path().substring(1)));
          }
        }
      }
    }
    cache.retain(live);
    return new LibraryScan(libraries, pids);
  }

  /** The marker libraries one maps file names, each once. */
  static Set<MappedLibrary> mappedBy(Path maps) {
    return ProcMaps.mapped(maps, MappedLibrary::parse);
  }
}
