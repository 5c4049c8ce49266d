package dev.aiprof.profiler;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/**
 * Registers the profile collector ({@link ProfileCollector}): on-CPU samples and off-CPU stacks,
 * symbolised, per phase and per window. Off by default (it samples every process on the host); uses
 * the scheduler collector's follow maps when it runs.
 */
public final class ProfileProvider implements CollectorProvider {
  public static final String NAME = "profile";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.PHASE_SIGNAL, Role.STACK_SOURCE, Role.REPORT_SECTION, Role.METRIC_SOURCE);
  }

  @Override
  public Set<String> uses() {
    return Set.of("sched");
  }

  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public List<Setting<?>> settings() {
    return ProfileSettings.ALL;
  }

  @Override
  public Collector create() {
    return new ProfileCollector();
  }
}
