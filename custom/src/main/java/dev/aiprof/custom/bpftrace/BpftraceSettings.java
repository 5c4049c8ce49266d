package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.Settings;
import java.time.Duration;
import java.util.List;

/** The bpftrace collector's settings: where scripts come from, how they run, their bounds. */
public final class BpftraceSettings {
  public static final Setting<String> DIR =
      Setting.of(
          "bpftrace.dir",
          (key, text) -> checked(key, text, true),
          v -> v,
          "a directory path",
          "",
          "directory whose *.bt files run as scripts (each named after its file: syscalls.bt is"
              + " script syscalls)");
  public static final Setting<String> FILES =
      Setting.of(
          "bpftrace.files",
          (key, text) -> {
            for (String f : text.split(",")) {
              checked(key, f, false);
            }
            return text.strip();
          },
          v -> v,
          "script file paths, comma-separated",
          "",
          "further script files, comma-separated");
  public static final Setting<String> INLINE =
      Setting.text(
          "bpftrace.inline",
          "",
          "a script's text in the config file itself (a YAML block scalar), run as script inline");
  public static final Setting<String> COMMAND =
      Setting.text(
          "bpftrace.command", "bpftrace", "the bpftrace executable (a name on PATH or a path)");
  public static final Setting<Duration> PRINT_INTERVAL =
      Setting.duration(
          "bpftrace.print-interval",
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          Duration.ofHours(1),
          "how often each script prints its maps for the agent (an interval probe the agent"
              + " appends)");
  public static final Setting<Integer> MAX_SCRIPTS =
      Setting.integer(
          "bpftrace.max-scripts", 16, 1, 256, "scripts run at most; more fail the start");
  public static final Setting<Integer> MAX_KEYS =
      Setting.integer(
          "bpftrace.max-keys",
          4096,
          1,
          1 << 20,
          "keys kept of each printed map; the rest are dropped and counted");
  public static final Setting<Long> MAX_LINE =
      Setting.size(
          "bpftrace.max-line",
          4L << 20,
          4L << 10,
          256L << 20,
          "longest line of bpftrace output read; longer ones (a huge map) are skipped and counted");
  public static final Setting<Duration> BACKOFF_MIN =
      Setting.duration(
          "bpftrace.backoff-min",
          Duration.ofSeconds(1),
          Duration.ofMillis(10),
          Duration.ofHours(1),
          "first wait before a script that exited is started again (doubles each time)");
  public static final Setting<Duration> BACKOFF_MAX =
      Setting.duration(
          "bpftrace.backoff-max",
          Duration.ofMinutes(5),
          Duration.ofSeconds(1),
          Duration.ofHours(24),
          "longest wait between restarts (at least 1s, not below bpftrace.backoff-min); a run this"
              + " long resets the wait");
  public static final Setting<String> STATE_DIR =
      Setting.text(
          "bpftrace.state-dir",
          "/run/aiprof/bpftrace",
          "where the agent writes the scripts it runs and their state (read by aiprof probes)");

  static final List<Setting<?>> ALL =
      List.of(
          DIR,
          FILES,
          INLINE,
          COMMAND,
          PRINT_INTERVAL,
          MAX_SCRIPTS,
          MAX_KEYS,
          MAX_LINE,
          BACKOFF_MIN,
          BACKOFF_MAX,
          STATE_DIR);

  private BpftraceSettings() {}

  /**
   * The checks across keys, at start-up (before anything starts, so a failure exits 2).
   *
   * @throws SettingException when bpftrace.backoff-min is above bpftrace.backoff-max
   */
  public static void check(Settings s) {
    Duration min;
    Duration max;
    try {
      min = s.get(BACKOFF_MIN);
      max = s.get(BACKOFF_MAX);
    } catch (IllegalStateException e) {
      return; // no bpftrace collector in this catalog
    }
    if (min.compareTo(max) > 0) {
      throw new SettingException(
          "invalid "
              + BACKOFF_MIN.key()
              + " '"
              + min.toMillis()
              + "ms"
              + "': above "
              + BACKOFF_MAX.key()
              + " '"
              + max.toMillis()
              + "ms"
              + "'; lower "
              + BACKOFF_MIN.key()
              + " or raise "
              + BACKOFF_MAX.key(),
          BACKOFF_MIN.key(),
          min.toMillis() + "ms");
    }
  }

  /** {@code text} (stripped) if it is empty or an existing directory (or readable file). */
  private static String checked(String key, String text, boolean directory) {
    String t = text.strip();
    if (t.isEmpty()) {
      return t;
    }
    java.nio.file.Path p = java.nio.file.Path.of(t);
    boolean ok = directory ? java.nio.file.Files.isDirectory(p) : java.nio.file.Files.isReadable(p);
    if (!ok) {
      throw new IllegalArgumentException(
          "invalid "
              + key
              + " '"
              + t
              + "': "
              + (directory ? "no such directory" : "no such readable file")
              + "; create it, fix the path or leave the key out");
    }
    return t;
  }
}
