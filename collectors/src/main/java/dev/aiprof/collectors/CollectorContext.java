package dev.aiprof.collectors;

import dev.aiprof.api.Durations;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.bpf.Features;
import java.time.Duration;
import java.util.Map;

/**
 * What a collector may use when it starts: the host's probed features, where the host's filesystems
 * are, and its settings (from flags or the config file, by key).
 *
 * @param features the result of one feature probe, shared by all collectors
 * @param paths host pseudo-filesystem roots
 * @param settings string settings by key, e.g. {@code sched.min-event=1ms}
 * @param interval how often {@link Collector#collect} runs
 * @param phases where phase sources report phases (the correlation engine)
 * @param clock wall-clock ↔ monotonic conversion shared by every source
 */
public record CollectorContext(
    Features features,
    HostPaths paths,
    Map<String, String> settings,
    Duration interval,
    PhaseListener phases,
    ClockSync clock) {

  public CollectorContext {
    settings = Map.copyOf(settings);
  }

  /** A context without phase consumers (the scheduler-only profile, tests). */
  public CollectorContext(
      Features features, HostPaths paths, Map<String, String> settings, Duration interval) {
    this(features, paths, settings, interval, PhaseListener.NONE, new ClockSync());
  }

  public String setting(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  /** A duration setting such as "1ms", "250us", "2s". */
  public Duration duration(String key, Duration fallback) {
    String v = settings.get(key);
    return v == null ? fallback : Durations.parse(key, v);
  }

  public boolean flag(String key, boolean fallback) {
    String v = settings.get(key);
    return v == null ? fallback : Boolean.parseBoolean(v);
  }
}
