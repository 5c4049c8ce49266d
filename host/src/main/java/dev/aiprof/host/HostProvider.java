package dev.aiprof.host;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/**
 * Registers the {@code host} collector ({@link HostCollector}): on by default, a metric source. It
 * needs no capability beyond reading {@code /proc} and {@code /sys} (world-readable) and statvfs.
 */
public final class HostProvider implements CollectorProvider {
  public static final String NAME = "host";

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
    return HostSettings.ALL;
  }

  @Override
  public Collector create() {
    return new HostCollector(s -> new LibcStatFs(), OshiInventory::read, System::nanoTime);
  }
}
