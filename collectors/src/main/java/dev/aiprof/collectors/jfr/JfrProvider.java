package dev.aiprof.collectors.jfr;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/** Registers the JFR phase source ({@link JfrCollector}). */
public final class JfrProvider implements CollectorProvider {
  public static final String NAME = "jfr";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.PHASE_SOURCE, Role.METRIC_SOURCE);
  }

  @Override
  public List<Setting<?>> settings() {
    return JfrSettings.ALL;
  }

  @Override
  public Collector create() {
    return new JfrCollector();
  }
}
