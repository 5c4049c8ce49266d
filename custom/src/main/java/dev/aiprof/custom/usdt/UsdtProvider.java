package dev.aiprof.custom.usdt;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/**
 * Registers the usdt collector ({@link UsdtCollector}). Off by default ({@code --enable usdt}, or
 * {@code collectors.enable} in the config file), like bpftrace: its capabilities (uprobes need
 * CAP_SYS_ADMIN) are then asked only of agents that count USDT probes.
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
  public boolean enabledByDefault() {
    return false;
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
