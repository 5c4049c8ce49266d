package dev.aiprof.collectors.marker;

import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The marker collector's settings. */
public final class MarkerSettings {
  public static final Setting<List<Path>> LIBRARIES =
      new Setting<>(
          "marker.libraries",
          SettingType.PATHS,
          List.of(),
          "libaiprof.so files to attach to at start, before any process maps them (the way to"
              + " catch NVTX injection from its first range)");
  public static final Setting<Duration> SCAN_INTERVAL =
      Setting.duration(
          "marker.scan-interval",
          Duration.ofSeconds(2),
          Duration.ofMillis(100),
          Duration.ofMinutes(10),
          "how often /proc is scanned for new processes that map libaiprof.so");
  public static final Setting<Duration> REREAD_INTERVAL =
      Setting.duration(
          "marker.reread-interval",
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "how often a known process's maps are read again (a library loaded later with dlopen)");

  static final List<Setting<?>> ALL = List.of(LIBRARIES, SCAN_INTERVAL, REREAD_INTERVAL);

  private MarkerSettings() {}
}
