package dev.aiprof.gpu.cuda;

import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;

/** The cuda collector's settings. */
public final class CudaSettings {
  public static final Setting<Duration> WAIT_EVENT_THRESHOLD =
      Setting.duration(
          "cuda.wait-event-threshold",
          Duration.ofNanos(100_000),
          Duration.ZERO,
          Duration.ofSeconds(10),
          "CUDA synchronisation waits at least this long are sent one by one (exact phase"
              + " attribution, span events); shorter ones are counted per 16.8 ms slot");
  public static final Setting<Duration> SCAN_INTERVAL =
      Setting.duration(
          "cuda.scan-interval",
          Duration.ofSeconds(2),
          Duration.ofMillis(100),
          Duration.ofMinutes(10),
          "how often /proc is scanned for processes that map libcuda.so or libcudart.so");
  public static final Setting<Duration> REREAD_INTERVAL =
      Setting.duration(
          "cuda.reread-interval",
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "how often a known process's maps are read again (a CUDA library loaded later)");
  public static final Setting<Duration> DRAIN_INTERVAL =
      Setting.duration(
          "cuda.drain-interval",
          Duration.ofMillis(100),
          Duration.ofMillis(20),
          Duration.ofSeconds(10),
          "how often the kernel's ended CUDA statistics slots are read and deleted");
  public static final Setting<Duration> RETENTION =
      Setting.duration(
          "cuda.retention",
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          "how long per-thread CUDA activity is kept for describing phases that end late");

  static final List<Setting<?>> ALL =
      List.of(WAIT_EVENT_THRESHOLD, SCAN_INTERVAL, REREAD_INTERVAL, DRAIN_INTERVAL, RETENTION);

  private CudaSettings() {}
}
