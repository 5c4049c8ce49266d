package dev.aiprof.gpu.cuda;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.Set;

/**
 * Registers the cuda collector ({@link CudaCollector}): uprobes on the CUDA driver and runtime APIs
 * of every process that maps them, per-workload metrics and a phase signal.
 */
public final class CudaProvider implements CollectorProvider {
  public static final String NAME = "cuda";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.METRIC_SOURCE, Role.PHASE_SIGNAL, Role.REPORT_SECTION);
  }

  @Override
  public List<Setting<?>> settings() {
    return CudaSettings.ALL;
  }

  @Override
  public Collector create() {
    return new CudaCollector();
  }
}
