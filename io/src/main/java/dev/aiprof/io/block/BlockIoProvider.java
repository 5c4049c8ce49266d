package dev.aiprof.io.block;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/**
 * Registers the blockio collector ({@link BlockIoCollector}): every block request per workload,
 * disk, direction and origin, and the block-I/O wait of phases of followed processes.
 */
public final class BlockIoProvider implements CollectorProvider {
  public static final String NAME = "blockio";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.METRIC_SOURCE, Role.PHASE_SIGNAL, Role.REPORT_SECTION);
  }

  /** The scheduler's followed map, when it runs, says whose requests to send one by one. */
  @Override
  public Set<String> uses() {
    return Set.of("sched");
  }

  @Override
  public List<Setting<?>> settings() {
    return BlockIoSettings.ALL;
  }

  @Override
  public Collector create() {
    return new BlockIoCollector();
  }
}
