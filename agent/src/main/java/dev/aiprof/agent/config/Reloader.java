package dev.aiprof.agent.config;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.exporters.ExportMetrics;
import io.opentelemetry.api.common.Attributes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Re-reads the config file on SIGHUP without stopping anything: the file is validated as at
 * start-up; an invalid one is rejected whole (one line naming the problem, the running
 * configuration kept). Of a valid one, each changed key is applied if it can change live ({@link
 * LiveSettings}), reported as kept until restart if not, and ignored if a flag sets it (flags win).
 * A key kept until restart stays reported on later reloads. Secret values are never printed. Counts
 * reloads by outcome ({@code aiprof.agent.config.reloads}). Thread-safe (one reload at a time).
 */
public final class Reloader implements MetricSource {
  public static final MetricId RELOADS =
      MetricId.counter(
          "aiprof.agent.config.reloads",
          "Config file reloads (SIGHUP) by outcome: applied, rejected (invalid file, old kept)",
          "{reload}");

  private final ConfigDocument start;
  private final SettingsCatalog catalog;
  private final Map<String, String> flags;
  private final LiveSettings live;
  private final PrintStream log;
  private Map<String, ConfigEntry> running;
  private long applied;
  private long rejected;

  public Reloader(
      ConfigDocument start,
      SettingsCatalog catalog,
      Map<String, String> flags,
      LiveSettings live,
      PrintStream log) {
    this.start = start;
    this.catalog = catalog;
    this.flags = Map.copyOf(flags);
    this.live = live;
    this.log = log;
    this.running = new LinkedHashMap<>(start.entries());
  }

  /** Re-reads the file and applies what can change live; false when the file was rejected. */
  public synchronized boolean reload() {
    String prefix = "aiprof run: reload of " + start.file() + ": ";
    ConfigDocument next;
    try {
      next = ConfigDocument.read(start.file());
      ConfigValidation.validate(catalog, next, flags);
    } catch (IllegalArgumentException e) {
      rejected++;
      log.println(prefix + "rejected, running configuration kept: " + e.getMessage());
      return false;
    }
    List<String> done = new ArrayList<>();
    List<String> later = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    Map<String, ConfigEntry> merged = new LinkedHashMap<>(running);
    for (String key : keys(running, next.entries())) {
      String now = value(next.entries(), key);
      if (Objects.equals(value(running, key), now)) {
        continue;
      }
      if (flags.containsKey(key)) {
        ignored.add(key);
      } else if (LiveSettings.isLive(key)) {
        merged.remove(key);
        if (now != null) {
          merged.put(key, next.entries().get(key));
        }
        done.add(key + "=" + (now == null ? "(default)" : SecretKeys.shown(key, now)));
      } else {
        later.add(key);
      }
    }
    live.apply(ConfigValidation.validate(catalog, new ConfigDocument(start.file(), merged), flags));
    running = merged;
    applied++;
    log.println(prefix + describe(done, later, ignored));
    return true;
  }

  private static String describe(List<String> done, List<String> later, List<String> ignored) {
    List<String> parts = new ArrayList<>();
    parts.add(done.isEmpty() ? "nothing to apply live" : "applied " + String.join(", ", done));
    if (!later.isEmpty()) {
      parts.add(
          "changed but applied only on restart (running values kept): " + String.join(", ", later));
    }
    if (!ignored.isEmpty()) {
      parts.add("set by a flag, the file's value ignored: " + String.join(", ", ignored));
    }
    return String.join("; ", parts);
  }

  private static Set<String> keys(Map<String, ConfigEntry> a, Map<String, ConfigEntry> b) {
    Set<String> all = new LinkedHashSet<>(a.keySet());
    all.addAll(b.keySet());
    return all;
  }

  private static String value(Map<String, ConfigEntry> m, String key) {
    ConfigEntry e = m.get(key);
    return e == null ? null : e.value();
  }

  @Override
  public synchronized void collect(MetricSink sink) {
    sink.counter(RELOADS, Attributes.of(ExportMetrics.OUTCOME, "applied"), applied);
    sink.counter(RELOADS, Attributes.of(ExportMetrics.OUTCOME, "rejected"), rejected);
  }
}
