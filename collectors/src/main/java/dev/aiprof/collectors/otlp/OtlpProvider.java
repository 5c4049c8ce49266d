package dev.aiprof.collectors.otlp;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/** Registers the OTLP trace receiver ({@link OtlpCollector}). */
public final class OtlpProvider implements CollectorProvider {
  public static final String NAME = "otlp";

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
    return OtlpSettings.ALL;
  }

  @Override
  public Collector create() {
    return new OtlpCollector();
  }
}
