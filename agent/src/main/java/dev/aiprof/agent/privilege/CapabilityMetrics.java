package dev.aiprof.agent.privilege;

import dev.aiprof.agent.identity.Capabilities.Cap;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * After the drop, at each collection: how many threads the agent's process has and how many of them
 * hold a capability beyond the run-time set, read afresh from {@code /proc/self/task} (one status
 * file per thread, well under a millisecond for the agent's ~50). 0 holdouts is what a complete
 * drop leaves; anything else names a fact the start-up line also logged.
 *
 * <p>Lifecycle: created after {@link CapabilityDrop#everyThread}, added to the metrics bridge.
 * Thread-safe (stateless but for the mask).
 */
public final class CapabilityMetrics implements MetricSource {
  public static final MetricId THREADS =
      MetricId.gauge(
          "aiprof.agent.capabilities.threads",
          "Threads of the agent process whose capability sets were checked",
          "{thread}");
  public static final MetricId HOLDOUTS =
      MetricId.gauge(
          "aiprof.agent.capabilities.undropped_threads",
          "Threads of the agent process that hold a capability beyond the run-time set"
              + " (0 after a complete drop)",
          "{thread}");

  private final long keep;
  private final Path taskDir;

  CapabilityMetrics(long keep, Path taskDir) {
    this.keep = keep;
    this.taskDir = taskDir;
  }

  /** Checks every thread of this process against {@code keep}, the set kept after attach. */
  public static CapabilityMetrics of(Set<Cap> keep) {
    return new CapabilityMetrics(CapabilityDrop.mask(keep), Tasks.SELF);
  }

  @Override
  public void collect(MetricSink sink) {
    List<Tasks.Task> tasks = Tasks.read(taskDir);
    long holdouts = tasks.stream().filter(t -> t.caps().exceeds(keep)).count();
    sink.gauge(THREADS, Attributes.empty(), tasks.size());
    sink.gauge(HOLDOUTS, Attributes.empty(), holdouts);
  }
}
