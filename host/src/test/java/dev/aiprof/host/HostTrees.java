package dev.aiprof.host;

import dev.aiprof.api.HostPaths;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The host trees under {@code src/test/resources/hosts}: {@code vm2}, recorded on this project's
 * build machine (2 vCPUs, one virtio disk); {@code gpu-node}, a 2-socket, 16-thread GPU node with
 * one CPU offline, three disks, a device-mapper volume, loop devices, InfiniBand, a bond and
 * container plumbing, written by hand in the kernel's formats.
 */
final class HostTrees {
  private HostTrees() {}

  static Path tree(String name) {
    try {
      return Path.of(HostTrees.class.getResource("/hosts/" + name + "/proc/stat").toURI())
          .getParent()
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static HostPaths paths(String name) {
    Path t = tree(name);
    return new HostPaths(t.resolve("proc"), t.resolve("sys"), t.resolve("sys/fs/cgroup"));
  }
}
