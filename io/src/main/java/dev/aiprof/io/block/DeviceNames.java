package dev.aiprof.io.block;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Disk names by device number, from sysfs ({@code <sysfs>/dev/block/MAJ:MIN/uevent}'s {@code
 * DEVNAME}, else the name the link points to), so a fixture tree works as the host's does. A number
 * sysfs does not know is named {@code MAJ:MIN} and asked again after {@code retryNs}. At most
 * {@code max} names are cached (least recently used evicted). Thread-safe (synchronized).
 */
final class DeviceNames {
  private record Name(String name, boolean known, long at) {}

  private final HostPaths paths;
  private final int max;
  private final long retryNs;
  private final LongSupplier clock;
  private final Map<Integer, Name> cache;

  DeviceNames(HostPaths paths, int max, long retryNs, LongSupplier clock) {
    this.paths = paths;
    this.max = max;
    this.retryNs = retryNs;
    this.clock = clock;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Name> eldest) {
            return size() > DeviceNames.this.max;
          }
        };
  }

  /** The name of disk {@code dev} (the kernel's {@code major << 20 | minor}). */
  synchronized String name(int dev) {
    long now = clock.getAsLong();
    Name e = cache.get(dev);
    if (e == null || (!e.known() && now - e.at() >= retryNs)) {
      Optional<String> found = lookUp(dev);
      e = new Name(found.orElse(number(dev)), found.isPresent(), now);
      cache.put(dev, e);
    }
    return e.name();
  }

  /** {@code MAJ:MIN} of a device number. */
  static String number(int dev) {
    return (dev >>> 20) + ":" + (dev & 0xfffff);
  }

  private Optional<String> lookUp(int dev) {
    Path dir = paths.sys("dev", "block", number(dev));
    try {
      Path uevent = dir.resolve("uevent");
      if (Files.isReadable(uevent)) {
        Optional<String> n = devName(Files.readString(uevent));
        if (n.isPresent()) {
          return n;
        }
      }
      if (Files.isSymbolicLink(dir)) {
        return Optional.of(Files.readSymbolicLink(dir).getFileName().toString());
      }
    } catch (IOException e) {
      // unknown: named by number
    }
    return Optional.empty();
  }

  /** The {@code DEVNAME=} of a uevent file's text. */
  static Optional<String> devName(String uevent) {
    for (String line : uevent.split("\n")) {
      if (line.startsWith("DEVNAME=") && line.length() > 8) {
        return Optional.of(line.substring(8).trim());
      }
    }
    return Optional.empty();
  }
}
