package dev.aiprof.agent.profile;

import dev.aiprof.agent.compose.AgentHost;
import dev.aiprof.agent.demo.ShippedLibrary;
import dev.aiprof.agent.identity.CgroupNames;
import dev.aiprof.agent.identity.IdentitySettings;
import dev.aiprof.agent.identity.WorkloadResolver;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the pipeline for a window and prints the text report: every collector that can run here (the
 * same composition as {@code aiprof run}), the collectors' report sections opened at the window's
 * start and rendered at its end, the phases of the selected workload, and the agent's own cost over
 * the window. Ends early if the followed process exits.
 */
public final class Profiler {
  private final AgentHost host;
  private final CollectorCatalog catalog;
  private final Settings settings;
  private final CollectorChoice collectors;

  /**
   * @param settings validated against the agent's catalog (the profile's own values included)
   */
  public Profiler(
      AgentHost host, CollectorCatalog catalog, Settings settings, CollectorChoice collectors) {
    this.host = host;
    this.catalog = catalog;
    this.settings = settings;
    this.collectors = collectors;
  }

  public void run(ProfileOptions o, PrintStream out) throws InterruptedException {
    HostPaths paths = host.paths();
    Set<Long> targetIds = o.cgroup() == null ? Set.of() : subtreeIds(o.cgroup());
    TextReport report = new TextReport(out, c -> o.pid() <= 0 || c.phase().pid() == o.pid());
    if (o.pid() > 0) {
      dev.aiprof.api.sandbox.ProcTree.sandboxOf(paths, o.pid())
          .ifPresent(sb -> report.sandbox(TextReport.sandboxNote(o.pid(), sb)));
    }
    try (WorkloadResolver identity =
            WorkloadResolver.create(IdentitySettings.config(settings), paths, host.mounts());
        Pipeline pipeline =
            host.pipeline(catalog, settings)
                .choose(collectors)
                .workloads(pid -> identity.resolve(pid).attributes())
                .report(report)
                .start()) {
      ReportScope scope =
          new ReportScope(
              o.pid(), targetIds, o.top(), o.minStall(), o.probeStats(), host.cgroups());
      for (ReportSection s : pipeline.sections()) {
        s.open(scope);
      }
      StartupTime.probesAttached(System.err);
      if (o.pid() > 0) {
        pipeline.follows().follow(o.pid());
      }
      long t0 = System.nanoTime();
      Path tasks = paths.proc("self", "task");
      long cpu0 = SelfCost.processCpuNs();
      long jit0 = SelfCost.compilerCpuNs(tasks);
      long events0 = host.poller().records();
      waitWindow(o, paths);
      Path status = paths.proc("self", "status");
      SelfCost self =
          new SelfCost(
              SelfCost.processCpuNs() - cpu0,
              Math.max(0, SelfCost.compilerCpuNs(tasks) - jit0),
              host.poller().records() - events0,
              SelfCost.statusBytes(status, "VmRSS"),
              SelfCost.statusBytes(status, "VmHWM"));
      pipeline.metrics().collect(MetricSink.NONE); // each collector's metrics, once
      report.window(
          title(o, paths),
          Duration.ofNanos(System.nanoTime() - t0),
          self,
          collectors(pipeline.statuses(), pipeline.lastSeries()));
      pipeline.finish();
    }
  }

  /**
   * The settings a profile runs with: the stall threshold for events and span events, the JVM to
   * stream (the process asked for), the shipped marker library armed from the start.
   */
  public static Map<String, String> settingsFor(ProfileOptions o) {
    Map<String, String> s = new HashMap<>();
    s.put("sched.min-event", o.minStall().toNanos() + "ns");
    s.put("sched.min-stall", o.minStall().toNanos() + "ns");
    if (o.pid() > 0) {
      s.put("jfr.pids", Integer.toString(o.pid()));
    }
    // The marker library shipped beside the agent: armed from the start, so a process using it is
    // caught from its first phase (others are found by the /proc scan).
    Path shipped = ShippedLibrary.path();
    if (shipped != null) {
      s.put("marker.libraries", shipped.toString());
    }
    return s;
  }

  /** "collectors: sched (running, 42 series), jfr (off: ...)": what ran, and what it reported. */
  static String collectors(List<CollectorStatus> statuses, Map<String, Integer> series) {
    List<String> parts = new ArrayList<>();
    for (CollectorStatus s : statuses) {
      Integer n = series.get(s.name());
      parts.add(
          s.running() && n != null && n > 0
              ? s.name() + " (running, " + n + " series)"
              : s.describe());
    }
    return "collectors: " + String.join(", ", parts);
  }

  private static void waitWindow(ProfileOptions o, HostPaths paths) throws InterruptedException {
    long end = System.nanoTime() + o.duration().toNanos();
    Path proc = paths.proc(Integer.toString(o.pid()));
    while (System.nanoTime() < end) {
      if (o.pid() > 0 && !Files.exists(proc)) {
        return; // the followed process is gone: report what we have
      }
      Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000)));
    }
  }

  private static String title(ProfileOptions o, HostPaths paths) {
    String pid =
        o.pid() > 0
            ? "pid " + o.pid() + " (" + comm(paths.proc(Integer.toString(o.pid()), "comm")) + ")"
            : "";
    String cgroup = o.cgroup() != null ? "cgroup " + o.cgroup() : "";
    String both = (pid + (pid.isEmpty() || cgroup.isEmpty() ? "" : " in ") + cgroup).strip();
    return both.isEmpty() ? "all workloads" : both;
  }

  private static String comm(Path p) {
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      return "?";
    }
  }

  /** Ids of a cgroup directory and every directory below it. */
  static Set<Long> subtreeIds(Path dir) {
    Set<Long> ids = new HashSet<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isDirectory).toList()) {
        ids.add(CgroupNames.idOf(p));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read cgroup " + dir + ": " + e.getMessage(), e);
    }
    return ids;
  }
}
