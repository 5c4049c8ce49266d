package dev.aiprof.agent.cli;

import dev.aiprof.agent.compose.AgentHost;
import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.demo.Demo;
import dev.aiprof.agent.identity.CgroupMounts;
import dev.aiprof.agent.profile.ProfileOptions;
import dev.aiprof.agent.profile.Profiler;
import dev.aiprof.api.Durations;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.pipeline.CollectorCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aiprof demo}: profile the built-in workload and print the report. */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = "Run a built-in toy training workload next to a noisy neighbour and profile it.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--duration",
      defaultValue = "10s",
      description = "How long to profile (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--data-dir",
      defaultValue = "/var/tmp",
      description = "Disk-backed directory for the demo's data file (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Mixin HostOptions host;

  @Mixin CollectorOptions collectors;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting (repeatable), as for aiprof run; 'aiprof run --help' lists every key.")
  Map<String, String> set = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    Duration d;
    try {
      d = Durations.parse("--duration", duration);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (!Files.isDirectory(dataDir)) {
      throw new UsageException("--data-dir " + dataDir + " is not a directory");
    }
    HostPaths paths = host.paths();
    Privileges.requireTracing(paths, "aiprof demo");
    CgroupMounts mounts = CgroupMounts.read(paths.proc("self", "mountinfo"));
    int cpu = Runtime.getRuntime().availableProcessors() - 1;
    CollectorCatalog catalog = CollectorCatalog.discover();
    try (Demo demo = Demo.start(mounts.v2(), dataDir, cpu)) {
      System.err.printf(
          "aiprof demo: a toy training job (pid %d) shares CPU %d with a noisy"
              + " neighbour; profiling for %s...%n",
          demo.trainPid(), cpu, Durations.format(d.toNanos()));
      Path cgroup = demo.cgroup().orElse(null);
      ProfileOptions options =
          new ProfileOptions(d, (int) demo.trainPid(), cgroup, Duration.ofMillis(1), 10, true);
      Settings settings =
          SettingsInput.validate(
              AgentSettings.catalog(catalog),
              Map.of(),
              null,
              merged(Profiler.settingsFor(options)));
      try (AgentHost agentHost = AgentHost.open(paths, host.btf(), settings)) {
        new Profiler(agentHost, catalog, settings, collectors.choice(catalog))
            .run(options, System.out);
      }
    }
    return 0;
  }

  /** The command's own settings, with --set over them. */
  private Map<String, String> merged(Map<String, String> own) {
    Map<String, String> all = new LinkedHashMap<>(own);
    all.putAll(set);
    return all;
  }
}
