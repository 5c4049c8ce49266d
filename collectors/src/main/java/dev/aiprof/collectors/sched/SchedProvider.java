package dev.aiprof.collectors.sched;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/** Registers the scheduler collector ({@link SchedCollector}). */
public final class SchedProvider implements CollectorProvider {
  public static final String NAME = "sched";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(
        Role.PHASE_SIGNAL, Role.METRIC_SOURCE, Role.PROCESS_FOLLOWER, Role.REPORT_SECTION);
  }

  @Override
  public List<Setting<?>> settings() {
    return SchedSettings.ALL;
  }

  @Override
  public Collector create() {
    return new SchedCollector();
  }
}
