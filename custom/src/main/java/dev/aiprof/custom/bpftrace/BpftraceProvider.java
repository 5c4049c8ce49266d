package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/**
 * Registers the bpftrace collector ({@link BpftraceCollector}). Off by default ({@code --enable
 * bpftrace}, or {@code collectors.enable} in the config file): while it runs, the agent keeps
 * CAP_BPF and CAP_PERFMON after start-up, since bpftrace children started again need them.
 */
public final class BpftraceProvider implements CollectorProvider {
  public static final String NAME = "bpftrace";

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
    return BpftraceSettings.ALL;
  }

  @Override
  public Collector create() {
    return new BpftraceCollector();
  }
}
