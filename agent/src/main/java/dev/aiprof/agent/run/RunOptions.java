package dev.aiprof.agent.run;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.exporters.ExporterOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What {@code aiprof run} does.
 *
 * @param export exporter flags
 * @param only run just these collectors (empty: every collector on by default)
 * @param disable collectors not to run
 * @param followPids processes whose threads' scheduler timelines are recorded from the start
 * @param paths host filesystems
 * @param btf the kernel's BTF, for the feature probe
 * @param duration how long to run, or null until SIGTERM/SIGINT
 * @param settings every agent setting, validated (collectors', identity's, the pipeline's)
 */
public record RunOptions(
    ExporterOptions export,
    Set<String> only,
    Set<String> disable,
    List<Integer> followPids,
    HostPaths paths,
    Path btf,
    Duration duration,
    Settings settings) {

  public RunOptions {
    only = Set.copyOf(only);
    disable = Set.copyOf(disable);
    followPids = List.copyOf(followPids);
  }
}
