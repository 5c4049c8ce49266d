package dev.aiprof.host;

import dev.aiprof.api.settings.Settings;
import java.util.Set;

/**
 * The exclusion rules and caps of each kind of series, from the settings. Not thread-safe (the
 * reading thread's).
 */
final class Filters {
  final Bounded disks;
  final Bounded interfaces;
  final Bounded fileSystems;
  final Set<String> types;

  Filters(Bounded disks, Bounded interfaces, Bounded fileSystems, Set<String> types) {
    this.disks = disks;
    this.interfaces = interfaces;
    this.fileSystems = fileSystems;
    this.types = types;
  }

  static Filters of(Settings s) {
    return new Filters(
        new Bounded(
            "disk",
            HostSettings.pattern(s.get(HostSettings.EXCLUDE_DEVICES)),
            s.get(HostSettings.MAX_DEVICES)),
        new Bounded(
            "interface",
            HostSettings.pattern(s.get(HostSettings.EXCLUDE_INTERFACES)),
            s.get(HostSettings.MAX_INTERFACES)),
        new Bounded(
            "filesystem",
            HostSettings.pattern(s.get(HostSettings.EXCLUDE_MOUNT_POINTS)),
            s.get(HostSettings.MAX_FILESYSTEMS)),
        HostSettings.types(s.get(HostSettings.EXCLUDE_FS_TYPES)));
  }
}
