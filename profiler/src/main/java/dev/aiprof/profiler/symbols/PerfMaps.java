package dev.aiprof.profiler.symbols;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a process's perf map is: {@code /tmp/perf-NSPID.map} inside the process's own mount
 * namespace, reached through {@code /proc/PID/root}, with NSPID its pid in its own pid namespace
 * (the last field of {@code NSpid:} in {@code /proc/PID/status}). Stateless, thread-safe.
 */
public final class PerfMaps {
  private PerfMaps() {}

  /** The perf map path of {@code pid} as this host sees it. */
  public static Path path(HostPaths paths, int pid) {
    return paths.proc(
        Integer.toString(pid), "root", "tmp", "perf-" + namespacePid(paths, pid) + ".map");
  }

  /** The pid of {@code pid} in its own pid namespace (itself when that cannot be read). */
  public static int namespacePid(HostPaths paths, int pid) {
    try {
      return namespacePid(Files.readAllLines(paths.proc(Integer.toString(pid), "status")), pid);
    } catch (IOException e) {
      return pid;
    }
  }

  /** From the lines of {@code /proc/PID/status}: the last {@code NSpid:} field; pure. */
  public static int namespacePid(List<String> status, int pid) {
    for (String line : status) {
      if (line.startsWith("NSpid:")) {
        String[] f = line.substring(6).strip().split("\\s+");
        try {
          return Integer.parseInt(f[f.length - 1]);
        } catch (NumberFormatException e) {
          return pid;
        }
      }
    }
    return pid;
  }

  /** The perf map file's {size, modification time in ns}, or null when there is none. */
  public static long[] version(HostPaths paths, int pid) {
    try {
      java.nio.file.attribute.BasicFileAttributes a =
          Files.readAttributes(path(paths, pid), java.nio.file.attribute.BasicFileAttributes.class);
      return new long[] {
        a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)
      };
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Reads the perf map of {@code pid}; null when it has none (or it cannot be read). */
  public static PerfMap read(HostPaths paths, int pid) {
    Path p = path(paths, pid);
    if (!Files.isRegularFile(p)) {
      return null;
    }
    try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      return PerfMap.parse(r);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
