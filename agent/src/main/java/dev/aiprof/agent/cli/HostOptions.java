package dev.aiprof.agent.cli;

import dev.aiprof.api.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

  @Option(
      names = "--nvml-library",
      paramLabel = "PATH",
      description = "The NVML library to load (default: libnvidia-ml.so.1 as the loader finds it).")
  Path nvmlLibrary;

  /** The settings these flags stand for (--nvml-library is nvml.library). */
  Map<String, String> settings() {
    return nvmlLibrary == null
        ? Map.of()
        : Map.of("nvml.library", nvmlLibrary.toAbsolutePath().toString());
  }

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
