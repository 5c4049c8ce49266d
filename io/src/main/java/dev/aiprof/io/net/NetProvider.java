package dev.aiprof.io.net;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.collectors.sched.SchedProvider;
import java.util.List;
import java.util.Set;

/**
 * Registers the net collector ({@link NetCollector}): TCP connections, bytes and retransmits per
 * workload from the TCP probe, a phase signal for threads of followed processes, and the report's
 * network section.
 */
public final class NetProvider implements CollectorProvider {
  public static final String NAME = "net";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.METRIC_SOURCE, Role.PHASE_SIGNAL, Role.REPORT_SECTION);
  }

  /** The scheduler probe's followed map, when it runs: per-phase traffic of followed threads. */
  @Override
  public Set<String> uses() {
    return Set.of(SchedProvider.NAME);
  }

  @Override
  public List<Setting<?>> settings() {
    return NetSettings.ALL;
  }

  @Override
  public Collector create() {
    return new NetCollector();
  }
}
