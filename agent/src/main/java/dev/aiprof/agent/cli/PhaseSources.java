package dev.aiprof.agent.cli;

import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorRegistry;
import dev.aiprof.collectors.sched.SchedCollector;
import java.util.List;
import java.util.Set;

/** The registered collectors other than the scheduler's: the phase sources a profile runs. */
final class PhaseSources {
  private PhaseSources() {}

  static List<Collector> standard() {
    return CollectorRegistry.standard().create(Set.of(), Set.of(SchedCollector.NAME));
  }
}
