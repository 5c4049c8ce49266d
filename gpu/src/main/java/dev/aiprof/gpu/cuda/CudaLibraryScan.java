package dev.aiprof.gpu.cuda;

import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.phase.LibraryId;
import dev.aiprof.collectors.marker.ProcMaps;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One pass over {@code /proc/*}{@code /maps}: every CUDA library file mapped now, each with the
 * paths that reach it from the agent ({@code /proc/PID/root/<path>}, one per process mapping it, so
 * files inside containers work), and the CUDA libraries of each process. Processes that exit or
 * cannot be read during the pass are skipped.
 *
 * @param libraries library file → the library and paths to it, in the order processes were found
 * @param byPid process → the CUDA libraries it maps
 */
record CudaLibraryScan(
    Map<LibraryId, Found> libraries, Map<Integer, Set<CudaLibrary>> byPid, Set<Integer> live) {
  /** A library file and the paths to it. */
  record Found(CudaLibrary library, List<Path> paths) {}

  /** Reads every process now (no cache): for {@code aiprof doctor}. */
  static CudaLibraryScan of(HostPaths paths) throws IOException {
    return of(paths, new Cache(0, System::nanoTime, Integer.MAX_VALUE));
  }

  /**
   * What each process mapped when its maps were last read: new processes are read at once, known
   * ones again after {@code rereadNanos} (a library loaded later with dlopen is found then). At
   * most {@code maxProcesses} are remembered; further ones are read every pass. Not thread-safe.
   */
  static final class Cache {
    private final long rereadNanos;
    private final LongSupplier clock;
    private final int maxProcesses;
    private final Map<Integer, Set<CudaLibrary>> mapped = new HashMap<>();
    private final Map<Integer, Long> readAt = new HashMap<>();

    Cache(long rereadNanos, LongSupplier clock, int maxProcesses) {
      this.rereadNanos = rereadNanos;
      this.clock = clock;
      this.maxProcesses = maxProcesses;
    }

    Set<CudaLibrary> of(int pid, Path maps) {
      long now = clock.getAsLong();
      Long at = readAt.get(pid);
      if (at != null && now - at < rereadNanos) {
        return mapped.get(pid);
      }
      Set<CudaLibrary> libs = mappedBy(maps);
      if (at != null || mapped.size() < maxProcesses) {
        mapped.put(pid, libs);
        readAt.put(pid, now);
      }
      return libs;
    }

    void retain(Set<Integer> live) {
      mapped.keySet().retainAll(live);
      readAt.keySet().retainAll(live);
    }
  }

  static CudaLibraryScan of(HostPaths paths, Cache cache) throws IOException {
    Map<LibraryId, Found> libraries = new HashMap<>();
    Map<Integer, Set<CudaLibrary>> byPid = new TreeMap<>();
    Set<Integer> live = new java.util.HashSet<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(paths.procfs())) {
      for (Path dir : procs) {
        int pid = ProcMaps.pidOf(dir.getFileName().toString());
        if (pid <= 0) {
          continue;
        }
        live.add(pid);
        Set<CudaLibrary> libs = cache.of(pid, dir.resolve("maps"));
        if (!libs.isEmpty()) {
          byPid.put(pid, libs);
        }
        for (CudaLibrary lib : libs) {
          libraries
              .computeIfAbsent(lib.id(), id -> new Found(lib, new ArrayList<>()))
              .paths()
              .add(dir.resolve("root").resolve(lib.path().substring(1)));
        }
      }
    }
    cache.retain(live);
    return new CudaLibraryScan(libraries, byPid, live);
  }

  /** The CUDA libraries one maps file names, each once. */
  static Set<CudaLibrary> mappedBy(Path maps) {
    return ProcMaps.mapped(maps, CudaLibrary::parse);
  }
}
