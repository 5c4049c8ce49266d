package dev.aiprof.api;

import java.nio.file.Path;

/**
 * Where the host's pseudo-filesystems are. Configurable (--procfs, --sysfs, --cgroupfs) so the
 * agent runs inside a container with the host's mounted elsewhere, and so tests run on fixture
 * trees.
 */
public record HostPaths(Path procfs, Path sysfs, Path cgroupfs) {
  public static HostPaths defaults() {
    return new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/sys/fs/cgroup"));
  }

  public Path proc(String first, String... more) {
    return procfs.resolve(Path.of(first, more));
  }

  public Path sys(String first, String... more) {
    return sysfs.resolve(Path.of(first, more));
  }
}
