package dev.aiprof.io.file;

import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;

/** The fileio collector's settings. */
public final class FileIoSettings {
  public static final Setting<Duration> SLOW_READ_THRESHOLD =
      Setting.duration(
          "fileio.slow-read-threshold",
          Duration.ofMillis(10),
          Duration.ZERO,
          Duration.ofSeconds(60),
          "reads of files and block devices at least this long are sent one by one with the"
              + " file's device and inode (span events, the report)");
  public static final Setting<Duration> DRAIN_INTERVAL =
      Setting.duration(
          "fileio.drain-interval",
          Duration.ofMillis(100),
          Duration.ofMillis(20),
          Duration.ofSeconds(10),
          "how often the kernel's ended per-thread file-I/O slots are read and deleted");
  public static final Setting<Duration> PROCESS_CHECK_INTERVAL =
      Setting.duration(
          "fileio.process-check-interval",
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          Duration.ofMinutes(10),
          "how often the per-process entries of exited processes are folded into their workload"
              + " and deleted from the kernel's map");
  public static final Setting<Duration> RETENTION =
      Setting.duration(
          "fileio.retention",
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          "how long per-thread file I/O is kept for describing phases that end late");

  static final List<Setting<?>> ALL =
      List.of(SLOW_READ_THRESHOLD, DRAIN_INTERVAL, PROCESS_CHECK_INTERVAL, RETENTION);

  private FileIoSettings() {}
}
