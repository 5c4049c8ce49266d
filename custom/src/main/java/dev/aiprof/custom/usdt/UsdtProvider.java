package dev.aiprof.custom.usdt;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/**
 * Registers the usdt collector ({@link UsdtCollector}). On by default, and idle until {@code
 * usdt.probes} names a probe: setting the list is what turns counting on.
 */
public final class UsdtProvider implements CollectorProvider {
  public static final String NAME = "usdt";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.METRIC_SOURCE);
  }

  @Override
  public List<Setting<?>> settings() {
    return UsdtSettings.ALL;
  }

  @Override
  public Collector create() {
    return new UsdtCollector();
  }
}
