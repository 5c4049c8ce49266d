package dev.aiprof.io.file;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.collectors.sched.SchedProvider;
import java.util.List;
import java.util.Set;

/**
 * Registers the fileio collector ({@link FileIoCollector}). It uses the scheduler collector when
 * that runs: the probe then shares its followed-process map, and the threads of followed processes
 * get the per-slot entries phases are described from.
 */
public final class FileIoProvider implements CollectorProvider {
  public static final String NAME = "fileio";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.METRIC_SOURCE, Role.PHASE_SIGNAL, Role.REPORT_SECTION);
  }

  /**
   * Off by default: its syscall tracepoints put every task on the host on the kernel's slow syscall
   * path while they are attached, a cost paid by every syscall of every process, not only by the
   * reads and writes it counts (this machine has no fentry, the cheap alternative). Turn it on with
   * {@code --enable fileio} where per-phase bytes and page-cache misses are worth it.
   */
  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public Set<String> uses() {
    return Set.of(SchedProvider.NAME);
  }

  @Override
  public List<Setting<?>> settings() {
    return FileIoSettings.ALL;
  }

  @Override
  public Collector create() {
    return new FileIoCollector();
  }
}
