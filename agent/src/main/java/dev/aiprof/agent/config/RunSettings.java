package dev.aiprof.agent.config;

import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The settings of {@code aiprof run} itself ({@code agent.*}): shutdown deadline, log level,
 * readiness window, self-telemetry. Which of them a SIGHUP reload applies is {@link LiveSettings}.
 */
public final class RunSettings {
  public static final Setting<Duration> SHUTDOWN_TIMEOUT =
      Setting.duration(
          "agent.shutdown-timeout",
          Duration.ofSeconds(10),
          Duration.ofMillis(500),
          Duration.ofSeconds(30),
          "How long SIGTERM waits for queued spans and the last metric export before the agent"
              + " exits anyway (what is not sent by then is lost and logged); at most 30 s, inside"
              + " the unit's TimeoutStopSec (45 s) and the DaemonSet's grace period (40 s)");

  public static final Setting<String> LOG_LEVEL =
      Setting.choice(
          "agent.log-level",
          "warning",
          "The agent's log level (--verbose is debug)",
          "error",
          "warning",
          "info",
          "debug");

  public static final Setting<Duration> READY_WINDOW =
      Setting.duration(
          "agent.ready-export-window",
          Duration.ofMinutes(2),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "/readyz fails when the last export failed and none succeeded within this window");

  public static final Setting<Boolean> SELF_TELEMETRY =
      Setting.flag(
          "agent.self-telemetry",
          true,
          "Export the agent's own CPU, heap and GC pauses (an in-process JFR recording)");

  public static final Setting<Duration> SELF_TELEMETRY_PERIOD =
      Setting.duration(
          "agent.self-telemetry-period",
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          "How often the JFR recording samples the agent's CPU load (GC events are each kept)");

  public static final Setting<List<String>> COLLECTORS_ONLY =
      names("collectors.only", "Run only these collectors (as --collectors, which wins)");

  public static final Setting<List<String>> COLLECTORS_ENABLE =
      names("collectors.enable", "Also run these collectors, off by default (as --enable)");

  public static final Setting<List<String>> COLLECTORS_DISABLE =
      names("collectors.disable", "Do not run these collectors (as --disable, which wins)");

  public static final List<Setting<?>> ALL =
      List.of(
          SHUTDOWN_TIMEOUT,
          LOG_LEVEL,
          READY_WINDOW,
          SELF_TELEMETRY,
          SELF_TELEMETRY_PERIOD,
          COLLECTORS_ONLY,
          COLLECTORS_ENABLE,
          COLLECTORS_DISABLE);

  private static Setting<List<String>> names(String key, String description) {
    return Setting.of(
        key,
        RunSettings::parseNames,
        l -> String.join(",", l),
        "collector names, comma-separated (a YAML list in the file)",
        List.of(),
        description);
  }

  private static List<String> parseNames(String key, String text) {
    List<String> out = new java.util.ArrayList<>();
    for (String n : text.split(",")) {
      String name = n.strip();
      if (!name.matches("[a-z][a-z0-9-]*")) {
        throw new IllegalArgumentException(
            "invalid " + key + " '" + text + "': use collector names, e.g. sched,otlp");
      }
      out.add(name);
    }
    return List.copyOf(out);
  }

  private RunSettings() {}
}
