package dev.aiprof.collectors.jfr;

import dev.aiprof.api.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The JFR collector's settings, parsed from the collector context's string settings.
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

  public JfrSettings {
    pids = Set.copyOf(pids);
  }

  /** Parses the {@code jfr.*} keys of {@code settings}; throws naming the key and the fix. */
  public static JfrSettings parse(Map<String, String> settings) {
    return new JfrSettings(
        pids(settings.getOrDefault("jfr.pids", "")),
        select(settings.getOrDefault("jfr.select", "none")),
        mechanism(settings.getOrDefault("jfr.mechanism", "auto")),
        duration(settings, "jfr.rescan", Duration.ofSeconds(2)),
        duration(settings, "jfr.flush-interval", Duration.ofSeconds(1)),
        duration(settings, "jfr.min-duration", Duration.ZERO),
        capacity(settings.getOrDefault("jfr.queue", "4096")),
        Path.of(
            settings.getOrDefault(
                "jfr.jcmd", Path.of(System.getProperty("java.home"), "bin", "jcmd").toString())),
        duration(settings, "jfr.timeout", Duration.ofSeconds(30)));
  }

  /** True when no JVM is selected: the collector then starts nothing. */
  public boolean selectsNothing() {
    return pids.isEmpty() && !all;
  }

  private static Set<Integer> pids(String text) {
    Set<Integer> out = new LinkedHashSet<>();
    for (String p : text.split(",")) {
      if (p.isBlank()) {
        continue;
      }
      try {
        int pid = Integer.parseInt(p.strip());
        if (pid <= 0) {
          throw new NumberFormatException();
        }
        out.add(pid);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "invalid jfr.pids '" + text + "': use process ids separated by commas, e.g. 1234,5678");
      }
    }
    return out;
  }

  private static boolean select(String v) {
    return switch (v.strip()) {
      case "all" -> true;
      case "none" -> false;
      default ->
          throw new IllegalArgumentException(
              "invalid jfr.select '" + v + "': use all (every JVM on the host) or none");
    };
  }

  private static Mechanism mechanism(String v) {
    try {
      return Mechanism.valueOf(v.strip().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid jfr.mechanism '" + v + "': use auto, repository or jmx");
    }
  }

  private static Duration duration(Map<String, String> s, String key, Duration fallback) {
    String v = s.get(key);
    return v == null ? fallback : Durations.parse(key, v);
  }

  private static int capacity(String v) {
    try {
      int n = Integer.parseInt(v.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "invalid jfr.queue '" + v + "': use a positive number of phases, e.g. 4096");
  }
}
