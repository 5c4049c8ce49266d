package dev.aiprof.collectors.marker;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.collectors.sched.SchedProvider;
import java.util.List;
import java.util.Set;

/**
 * Registers the marker collector ({@link MarkerCollector}). It uses the scheduler collector when
 * that runs: its probe then follows calling processes inside the kernel, through the scheduler
 * probe's follow maps.
 */
public final class MarkerProvider implements CollectorProvider {
  public static final String NAME = "marker";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.PHASE_SOURCE, Role.METRIC_SOURCE);
  }

  @Override
  public Set<String> uses() {
    return Set.of(SchedProvider.NAME);
  }

  @Override
  public List<Setting<?>> settings() {
    return MarkerSettings.ALL;
  }

  @Override
  public Collector create() {
    return new MarkerCollector();
  }
}
