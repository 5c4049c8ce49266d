package dev.aiprof.collectors.jfr;

import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingType;
import dev.aiprof.api.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JFR collector's settings: its keys, and their values out of the agent's validated settings.
 *
 * @param pids JVMs to stream ({@code jfr.pids=1234,5678})
 * @param all whether to discover and stream every JVM on the host ({@code jfr.select=all})
 * @param mechanism how to stream ({@code jfr.mechanism=auto|repository|jmx}, default auto: the disk
 *     repository, JMX when that fails)
 * @param rescan how often to look for new JVMs and for JVMs that exited ({@code jfr.rescan}, 2s)
 * @param flushInterval how often the target flushes events to its repository ({@code
 *     jfr.flush-interval}, 1s, JFR's own default): the main part of the delivery lag
 * @param minDuration GC pauses and safepoints shorter than this are not reported ({@code
 *     jfr.min-duration}, 0: all)
 * @param queueCapacity phases buffered for the listener; more are dropped ({@code jfr.queue}, 4096)
 * @param jcmd the jcmd tool used to start and stop recordings ({@code jfr.jcmd}, the agent's own)
 * @param timeout how long one jcmd call or JMX connection may take ({@code jfr.timeout}, 30s)
 */
public record JfrSettings(
    Set<Integer> pids,
    boolean all,
    Mechanism mechanism,
    Duration rescan,
    Duration flushInterval,
    Duration minDuration,
    int queueCapacity,
    Path jcmd,
    Duration timeout) {

  /** How the collector streams a JVM's events. */
  public enum Mechanism {
    /** The repository, with JMX as the fallback. */
    AUTO,
    /** {@code jcmd JFR.start} and the target's disk repository only. */
    REPOSITORY,
    /** The attach API's local management agent and a JMX RemoteRecordingStream only. */
    JMX
  }

  public static final Setting<List<Integer>> PIDS =
      new Setting<>(
          "jfr.pids",
          SettingType.INTEGERS,
          List.of(),
          "JVMs to stream, by process id, e.g. 1234,5678");
  public static final Setting<String> SELECT =
      Setting.choice(
          "jfr.select", "none", "all: discover and stream every JVM on the host", "all", "none");
  public static final Setting<String> MECHANISM =
      Setting.choice(
          "jfr.mechanism",
          "auto",
          "how to stream: the JVM's disk repository, JMX, or auto (the repository, else JMX)",
          "auto",
          "repository",
          "jmx");
  public static final Setting<Duration> RESCAN =
      Setting.duration(
          "jfr.rescan",
          Duration.ofSeconds(2),
          Duration.ofMillis(100),
          Duration.ofHours(1),
          "how often to look for new JVMs and for JVMs that exited");
  public static final Setting<Duration> FLUSH_INTERVAL =
      Setting.duration(
          "jfr.flush-interval",
          Duration.ofSeconds(1),
          Duration.ofMillis(10),
          Duration.ofMinutes(1),
          "how often the JVM flushes events to its repository: the main part of the delay");
  public static final Setting<Duration> MIN_DURATION =
      Setting.duration(
          "jfr.min-duration",
          Duration.ZERO,
          Duration.ZERO,
          Duration.ofMinutes(1),
          "GC pauses and safepoints shorter than this are not reported");
  public static final Setting<Integer> QUEUE =
      Setting.integer(
          "jfr.queue", 4096, 1, 1 << 20, "phases buffered for the engine; more are dropped");
  public static final Setting<String> JCMD =
      Setting.text(
          "jfr.jcmd",
          null,
          "the jcmd tool that starts and stops recordings (default: the agent's own JDK's)");
  public static final Setting<Duration> TIMEOUT =
      Setting.duration(
          "jfr.timeout",
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          "how long one jcmd call or JMX connection may take");

  static final List<Setting<?>> ALL =
      List.of(PIDS, SELECT, MECHANISM, RESCAN, FLUSH_INTERVAL, MIN_DURATION, QUEUE, JCMD, TIMEOUT);

  public JfrSettings {
    pids = Set.copyOf(pids);
  }

  /** The collector's settings out of the agent's. */
  public static JfrSettings from(Settings s) {
    return new JfrSettings(
        new LinkedHashSet<>(s.get(PIDS)),
        s.get(SELECT).equals("all"),
        Mechanism.valueOf(s.get(MECHANISM).toUpperCase(Locale.ROOT)),
        s.get(RESCAN),
        s.get(FLUSH_INTERVAL),
        s.get(MIN_DURATION),
        s.get(QUEUE),
        s.get(JCMD) == null
            ? Path.of(System.getProperty("java.home"), "bin", "jcmd")
            : Path.of(s.get(JCMD)),
        s.get(TIMEOUT));
  }

  /** True when no JVM is selected: the collector then starts nothing. */
  public boolean selectsNothing() {
    return pids.isEmpty() && !all;
  }
}
