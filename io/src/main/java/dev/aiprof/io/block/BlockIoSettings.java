package dev.aiprof.io.block;

import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;

/** The blockio collector's settings. */
public final class BlockIoSettings {
  public static final Setting<Duration> SLOW_THRESHOLD =
      Setting.duration(
          "blockio.slow-threshold",
          Duration.ofMillis(50),
          Duration.ZERO,
          Duration.ofMinutes(1),
          "block requests at least this long from start to completion are sent one by one,"
              + " whoever issued them (the report's slowest requests); 0 turns it off");
  public static final Setting<Duration> RETENTION =
      Setting.duration(
          "blockio.retention",
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          "how long followed threads' block requests are kept for describing phases that end late");
  public static final Setting<Duration> INFLIGHT_TIMEOUT =
      Setting.duration(
          "blockio.inflight-timeout",
          Duration.ofSeconds(60),
          Duration.ofSeconds(5),
          Duration.ofHours(1),
          "a request the kernel did not complete within this long is forgotten (counted as stale)");
  public static final Setting<Integer> INFLIGHT_ENTRIES =
      Setting.integer(
          "blockio.inflight-entries",
          8192,
          64,
          1 << 20,
          "block requests tracked in flight at once (96 bytes each in the kernel); more are not"
              + " counted (inflight_full)");

  static final List<Setting<?>> ALL =
      List.of(SLOW_THRESHOLD, RETENTION, INFLIGHT_TIMEOUT, INFLIGHT_ENTRIES);

  private BlockIoSettings() {}
}
