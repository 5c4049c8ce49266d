package dev.aiprof.agent.run;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.exporters.ExporterOptions;
import dev.aiprof.pipeline.CollectorChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code aiprof run} does.
 *
 * @param export exporter flags
 * @param collectors which collectors run
 * @param followPids processes whose threads' scheduler timelines are recorded from the start
 * @param paths host filesystems
 * @param btf the kernel's BTF, for the feature probe
 * @param duration how long to run, or null until SIGTERM/SIGINT
 * @param settings every agent setting, validated (collectors', identity's, the pipeline's)
 */
public record RunOptions(
    ExporterOptions export,
    CollectorChoice collectors,
    List<Integer> followPids,
    HostPaths paths,
    Path btf,
    Duration duration,
    Settings settings) {

  public RunOptions {
    followPids = List.copyOf(followPids);
  }
}
