package dev.aiprof.api;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroups of one process, from {@code /proc/PID/cgroup}: the v2 path (line {@code 0::/path})
 * and the v1 paths by controller (lines {@code N:ctrl,ctrl:/path}). Hybrid hosts have both.
 *
 * @param v2Path the cgroup v2 path, if the process's hierarchy list has a v2 line
 * @param v1Paths v1 paths by controller name ("memory", "cpu", "name=systemd", ...)
 */
public record ProcCgroups(Optional<String> v2Path, Map<String, String> v1Paths) {
  private static final String DELETED = " (deleted)";

  /** The v1 hierarchies whose paths say most about a process's workload, best first. */
  private static final List<String> PREFERRED_V1 = List.of("memory", "cpu", "pids", "name=systemd");

  public ProcCgroups {
    v1Paths = Map.copyOf(v1Paths);
  }

  /** Reads {@code /proc/PID/cgroup} under {@code paths}; empty if the process is gone. */
  public static Optional<ProcCgroups> read(HostPaths paths, int pid) {
    try {
      return Optional.of(parse(Files.readString(paths.proc(Integer.toString(pid), "cgroup"))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Parses the file's text (pure). Lines that do not have the three fields are skipped. */
  public static ProcCgroups parse(String text) {
    Optional<String> v2 = Optional.empty();
    Map<String, String> v1 = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(":", 3);
      if (f.length < 3 || !f[2].startsWith("/")) {
        continue;
      }
      String path =
          f[2].endsWith(DELETED) ? f[2].substring(0, f[2].length() - DELETED.length()) : f[2];
      if (f[0].equals("0") && f[1].isEmpty()) {
        v2 = Optional.of(path);
      } else if (!f[1].isEmpty()) {
        for (String controller : f[1].split(",")) {
          v1.putIfAbsent(controller, path);
        }
      }
    }
    return new ProcCgroups(v2, v1);
  }

  /**
   * The distinct paths worth parsing for identity, best first: v2, then v1 memory, cpu, pids and
   * name=systemd, then the rest. The root ("/") is left out: it says nothing.
   */
  public List<String> candidates() {
    Set<String> out = new LinkedHashSet<>();
    v2Path.ifPresent(out::add);
    for (String c : PREFERRED_V1) {
      Optional.ofNullable(v1Paths.get(c)).ifPresent(out::add);
    }
    out.addAll(v1Paths.values());
    out.remove("/");
    return new ArrayList<>(out);
  }
}
