package dev.aiprof.api.sandbox;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a cgroup path from {@code /proc/PID/cgroup} is under {@code --cgroupfs}, on every layout:
 * cgroup v2 only (the v2 hierarchy is {@code --cgroupfs} itself), hybrid (v2 at {@code
 * --cgroupfs/unified}, v1 controllers beside it) and v1 only (one directory per hierarchy, named by
 * its controllers: {@code cpuacct}, {@code cpu,cpuacct}, or a link such as {@code cpuacct ->
 * cpu,cpuacct}). A v2 hierarchy is the directory that holds {@code cgroup.controllers}. Stateless
 * and thread-safe; each call reads a directory or two.
 */
public final class CgroupDirs {
  /** Where hybrid hosts (systemd, Debian's and this project's CI machines) mount cgroup v2. */
  static final String HYBRID_V2 = "unified";

  private CgroupDirs() {}

  /** The cgroup v2 hierarchy's root under {@code paths}, if the host has one. */
  public static Optional<Path> v2Root(HostPaths paths) {
    Path fs = paths.cgroupfs();
    for (Path root : List.of(fs, fs.resolve(HYBRID_V2))) {
      if (Files.exists(root.resolve("cgroup.controllers"))) {
        return Optional.of(root);
      }
    }
    return Optional.empty();
  }

  /** The directory of v2 cgroup {@code path} ("/a/b"), if it exists. */
  public static Optional<Path> v2(HostPaths paths, String path) {
    return v2Root(paths).map(r -> r.resolve(rel(path))).filter(Files::isDirectory);
  }

  /** The directory of v1 cgroup {@code path} in the hierarchy carrying {@code controller}. */
  public static Optional<Path> v1(HostPaths paths, String controller, String path) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(paths.cgroupfs())) {
      for (Path d : dirs) {
        if (List.of(d.getFileName().toString().split(",")).contains(controller)) {
          Path dir = d.resolve(rel(path));
          if (Files.isDirectory(dir)) {
            return Optional.of(dir);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  static String rel(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }
}
