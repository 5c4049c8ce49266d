package dev.aiprof.io.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk names from a fixture sysfs tree: uevent's DEVNAME, the link's target, else the number. */
class DeviceNamesTest {
  @TempDir Path root;

  private HostPaths paths() {
    return new HostPaths(root.resolve("proc"), root.resolve("sys"), root.resolve("cgroup"));
  }

  @Test
  void theUeventNamesTheDiskAndTheLinkIsTheFallback() throws Exception {
    Path block = Files.createDirectories(root.resolve("sys/dev/block"));
    Path nvme = Files.createDirectories(block.resolve("259:0"));
    Files.writeString(
        nvme.resolve("uevent"), "MAJOR=259\nMINOR=0\nDEVNAME=nvme0n1\nDEVTYPE=disk\n");
    Path target = Files.createDirectories(root.resolve("sys/devices/virtual/block/loop7"));
    Files.createSymbolicLink(block.resolve("7:7"), target);
    DeviceNames names = new DeviceNames(paths(), 16, 1_000, () -> 0);

    assertThat(names.name(259 << 20)).isEqualTo("nvme0n1");
    assertThat(names.name(7 << 20 | 7)).isEqualTo("loop7");
    assertThat(names.name(8 << 20 | 16)).isEqualTo("8:16");
  }

  @Test
  void anUnknownNumberIsAskedAgainAfterTheRetryAndAKnownOneIsCached() throws Exception {
    AtomicLong now = new AtomicLong();
    DeviceNames names = new DeviceNames(paths(), 16, 1_000, now::get);
    int sdb = 8 << 20 | 16;
    assertThat(names.name(sdb)).isEqualTo("8:16");
    Path dir = Files.createDirectories(root.resolve("sys/dev/block/8:16"));
    Files.writeString(dir.resolve("uevent"), "DEVNAME=sdb\n");
    now.set(999);
    assertThat(names.name(sdb)).as("not yet asked again").isEqualTo("8:16");
    now.set(1_000);
    assertThat(names.name(sdb)).isEqualTo("sdb");
    Files.writeString(dir.resolve("uevent"), "DEVNAME=renamed\n");
    now.set(1_000_000);
    assertThat(names.name(sdb)).as("a known name stays").isEqualTo("sdb");
  }

  @Test
  void theCacheKeepsAtMostItsBound() throws Exception {
    DeviceNames names = new DeviceNames(paths(), 2, 0, () -> 0);
    for (int minor = 0; minor < 10; minor++) {
      assertThat(names.name(7 << 20 | minor)).isEqualTo("7:" + minor);
    }
    assertThat(DeviceNames.devName("MAJOR=7\nDEVNAME=loop0")).contains("loop0");
    assertThat(DeviceNames.devName("MAJOR=7\n")).isEmpty();
  }
}
