package dev.aiprof.agent.cli;

import dev.aiprof.api.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Host filesystem locations, for running inside a container or against fixture trees. */
final class HostOptions {
  @Option(
      names = "--procfs",
      defaultValue = "/proc",
      description = "procfs mount (default: ${DEFAULT-VALUE}).")
  Path procfs;

  @Option(
      names = "--sysfs",
      defaultValue = "/sys",
      description = "sysfs mount (default: ${DEFAULT-VALUE}).")
  Path sysfs;

  @Option(
      names = "--cgroupfs",
      defaultValue = "/sys/fs/cgroup",
      description = "cgroup root (default: ${DEFAULT-VALUE}).")
  Path cgroupfs;

  HostPaths paths() {
    for (Path p : new Path[] {procfs, sysfs}) {
      if (!Files.isDirectory(p)) {
        throw new UsageException(
            p + " is not a directory: point --procfs/--sysfs at the host's mounts");
      }
    }
    return new HostPaths(procfs, sysfs, cgroupfs);
  }

  Path btf() {
    return sysfs.resolve("kernel/btf/vmlinux");
  }
}
