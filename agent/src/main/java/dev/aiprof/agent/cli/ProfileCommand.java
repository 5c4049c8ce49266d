package dev.aiprof.agent.cli;

import dev.aiprof.agent.compose.AgentHost;
import dev.aiprof.agent.compose.AgentSettings;
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
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aiprof profile}: attach the scheduler probe for a while and print a report. */
@Command(
    mixinStandardHelpOptions = true,
    name = "profile",
    description =
        "Measure runqueue latency, on-CPU and off-CPU time per workload and print a report.")
final class ProfileCommand implements Callable<Integer> {
  @Option(
      names = "--duration",
      defaultValue = "10s",
      description = "How long to measure (default: ${DEFAULT-VALUE}).")
  String duration;

  @ArgGroup(exclusive = true)
  Target target;

  @Option(
      names = "--min-stall",
      defaultValue = "1ms",
      description = "List off-CPU or runqueue gaps at least this long (default: ${DEFAULT-VALUE}).")
  String minStall;

  @Option(
      names = "--top",
      defaultValue = "10",
      description = "How many workloads and stalls to list (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--probe-stats",
      description = "Also measure the probe's own kernel cost per event (BPF_ENABLE_STATS).")
  boolean probeStats;

  @Mixin HostOptions host;

  @Mixin CollectorOptions collectors;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting (repeatable), as for aiprof run; 'aiprof run --help' lists every key.")
  Map<String, String> set = new LinkedHashMap<>();

  static final class Target {
    @Option(names = "--pid", description = "Profile this process, thread by thread.")
    Integer pid;

    @Option(
        names = "--cgroup",
        description =
            "Report only this cgroup (v2 path, absolute or relative to the v2 mount) and its children.")
    Path cgroup;
  }

  @Override
  public Integer call() throws InterruptedException {
    ProfileOptions options = options(host.paths());
    HostPaths paths = host.paths();
    Privileges.requireTracing(paths, "aiprof profile");
    CollectorCatalog catalog = CollectorCatalog.discover();
    Settings settings =
        SettingsInput.validate(
            AgentSettings.catalog(catalog), Map.of(), null, merged(Profiler.settingsFor(options)));
    System.err.printf(
        "aiprof: profiling for %s...%n", Durations.format(options.duration().toNanos()));
    try (AgentHost agentHost = AgentHost.open(paths, host.btf(), settings)) {
      new Profiler(agentHost, catalog, settings, collectors.choice(catalog))
          .run(options, System.out);
    }
    return 0;
  }

  ProfileOptions options(HostPaths paths) {
    Duration d = parse("--duration", duration);
    if (d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
      throw new UsageException(
          "invalid --duration '" + duration + "': use a value between 1ms and 24h");
    }
    Duration stall = parse("--min-stall", minStall);
    if (top < 1) {
      throw new UsageException("invalid --top " + top + ": use 1 or more");
    }
    int pid = 0;
    Path cgroup = null;
    if (target != null && target.pid != null) {
      pid = target.pid;
      if (pid <= 0 || !Files.isDirectory(paths.proc(Integer.toString(pid)))) {
        throw new UsageException("no process with pid " + target.pid + ": check the pid with ps");
      }
    }
    if (target != null && target.cgroup != null) {
      cgroup = resolveCgroup(paths, target.cgroup);
    }
    return new ProfileOptions(d, pid, cgroup, stall, top, probeStats);
  }

  private static Path resolveCgroup(HostPaths paths, Path given) {
    if (given.isAbsolute() && Files.exists(given.resolve("cgroup.procs"))) {
      return given;
    }
    Path v2 =
        CgroupMounts.read(paths.proc("self", "mountinfo"))
            .v2()
            .orElseThrow(
                () ->
                    new UsageException("this host has no cgroup v2 hierarchy: --cgroup needs one"));
    Path under = v2.resolve(given.toString().replaceFirst("^/+", ""));
    if (Files.exists(under.resolve("cgroup.procs"))) {
      return under;
    }
    throw new UsageException(
        "no cgroup "
            + given
            + " (looked for "
            + under
            + "): give a path under "
            + v2
            + ", e.g. /system.slice");
  }

  private static Duration parse(String option, String value) {
    try {
      return Durations.parse(option, value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The command's own settings, with --set over them. */
  private Map<String, String> merged(Map<String, String> own) {
    Map<String, String> all = new LinkedHashMap<>(own);
    all.putAll(host.settings());
    all.putAll(set);
    return all;
  }
}
