package dev.aiprof.agent.profile;

import dev.aiprof.agent.correlation.PhaseSession;
import dev.aiprof.agent.demo.ShippedLibrary;
import dev.aiprof.agent.identity.CgroupMounts;
import dev.aiprof.agent.identity.CgroupNames;
import dev.aiprof.agent.identity.IdentitySettings;
import dev.aiprof.agent.identity.WorkloadResolver;
import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.RunTimeStats;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.bpf.sched.SchedCounter;
import dev.aiprof.bpf.sched.SchedEventView;
import dev.aiprof.bpf.sched.ThreadSchedStats;
import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.sched.SchedCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Runs the scheduler collector for a window and gathers a {@link ProfileResult}: the differences of
 * the per-cgroup statistics over the window, the followed process's threads and the longest stalls.
 * Ends early if the followed process exits.
 */
public final class Profiler {
  private final Features features;
  private final HostPaths paths;
  private final CgroupMounts mounts;
  private final List<Collector> phaseSources;

  /**
   * @param phaseSources collectors that report phases (marker, OTLP, JFR), started for the window;
   *     those that cannot start on this host are skipped
   */
  public Profiler(
      Features features, HostPaths paths, CgroupMounts mounts, List<Collector> phaseSources) {
    this.features = features;
    this.paths = paths;
    this.mounts = mounts;
    this.phaseSources = List.copyOf(phaseSources);
  }

  public ProfileResult run(ProfileOptions o) throws InterruptedException {
    Set<Long> targetIds = o.cgroup() == null ? Set.of() : subtreeIds(o.cgroup());
    Predicate<SchedEventView> filter =
        o.cgroup() != null
            ? e -> targetIds.contains(e.cgroupId()) || targetIds.contains(e.cgroupV1Id())
            : o.pid() > 0 ? e -> e.pid() == o.pid() : e -> true;
    TopStalls stalls = new TopStalls(o.top(), filter);
    PhaseTable phases = new PhaseTable(c -> o.pid() <= 0 || c.phase().pid() == o.pid());
    CollectorContext ctx =
        new CollectorContext(features, paths, settings(o), Duration.ofSeconds(1));
    try (SchedCollector sched = new SchedCollector()) {
      sched.addListener(stalls);
      sched.start(ctx);
      if (o.pid() > 0) {
        sched.follow(o.pid());
      }
      Map<List<Long>, CgroupSchedStats> before = byKey(sched.cgroups());
      Window w;
      PhaseSession.connect(sched, phaseSources);
      try (WorkloadResolver identity =
              WorkloadResolver.create(IdentitySettings.parse(ctx.settings()), paths, mounts);
          PhaseSession session =
              new PhaseSession(
                  sched.signals(),
                  PhaseSession.follower(sched),
                  phaseSources,
                  ctx,
                  pid -> identity.resolve(pid).attributes(),
                  List.of(phases))) {
        w = measure(o, sched);
      }
      List<ThreadSchedStats> threads =
          o.pid() > 0
              ? sched.probe().threads().values().stream().filter(t -> t.pid() == o.pid()).toList()
              : List.of();
      List<Stall> longest = stalls.longestFirst();
      return new ProfileResult(
          w.length(),
          title(o),
          sched.probe().variant().name().toLowerCase(),
          workloads(o, before, w.after(), threads, targetIds),
          phases.rows(),
          threads,
          threadNames(threads, longest),
          longest,
          o.minStall().toNanos(),
          w.sent(),
          w.dropped(),
          w.cost(),
          w.self());
    }
  }

  private record Window(
      Duration length,
      List<CgroupSchedStats> after,
      long sent,
      long dropped,
      List<ProgramStats> cost,
      SelfCost self) {}

  /** Waits out the window, measuring the probe's and the agent's own cost. */
  private Window measure(ProfileOptions o, SchedCollector sched) throws InterruptedException {
    List<ProgramStats> cost = List.of();
    long t0 = System.nanoTime();
    long cpu0 = SelfCost.processCpuNs();
    Path tasks = paths.proc("self", "task");
    long jit0 = SelfCost.compilerCpuNs(tasks);
    long events0 = sched.eventsReceived();
    long sent0 = sched.probe().counter(SchedCounter.EVENTS);
    long dropped0 = sched.probe().counter(SchedCounter.EVENTS_DROPPED);
    if (o.probeStats()) {
      try (RunTimeStats on = RunTimeStats.enable()) {
        List<ProgramStats> start = sched.probe().programStats();
        waitWindow(o);
        cost = minus(sched.probe().programStats(), start);
      }
    } else {
      waitWindow(o);
    }
    Duration length = Duration.ofNanos(System.nanoTime() - t0);
    Path status = paths.proc("self", "status");
    SelfCost self =
        new SelfCost(
            SelfCost.processCpuNs() - cpu0,
            Math.max(0, SelfCost.compilerCpuNs(tasks) - jit0),
            sched.eventsReceived() - events0,
            SelfCost.statusBytes(status, "VmRSS"),
            SelfCost.statusBytes(status, "VmHWM"));
    return new Window(
        length,
        sched.cgroups(),
        sched.probe().counter(SchedCounter.EVENTS) - sent0,
        sched.probe().counter(SchedCounter.EVENTS_DROPPED) - dropped0,
        cost,
        self);
  }

  private List<ProfileResult.Workload> workloads(
      ProfileOptions o,
      Map<List<Long>, CgroupSchedStats> before,
      List<CgroupSchedStats> after,
      List<ThreadSchedStats> threads,
      Set<Long> targetIds) {
    CgroupNames v2 = names(mounts.v2().orElse(null));
    CgroupNames v1 = names(mounts.v1Memory().orElse(null));
    Set<Long> pidCgroups = new HashSet<>();
    threads.forEach(t -> pidCgroups.add(t.cgroupId()));
    List<ProfileResult.Workload> out = new ArrayList<>();
    for (CgroupSchedStats a : after) {
      CgroupSchedStats b = before.get(List.of(a.cgroupId(), a.cgroupV1Id()));
      CgroupSchedStats d = b == null ? a : a.minus(b);
      boolean wanted =
          o.cgroup() != null
              ? targetIds.contains(a.cgroupId()) || targetIds.contains(a.cgroupV1Id())
              : o.pid() <= 0 || pidCgroups.contains(a.cgroupId());
      if (wanted && (d.onCpuNs() > 0 || d.runqueueNs() > 0)) {
        out.add(new ProfileResult.Workload(name(v2, v1, a), d));
      }
    }
    out.sort(
        Comparator.comparingLong((ProfileResult.Workload x) -> x.stats().runqueueNs()).reversed());
    return out.stream().limit(o.top()).toList();
  }

  private static Map<String, String> settings(ProfileOptions o) {
    Map<String, String> s = new HashMap<>();
    s.put("sched.min-event", o.minStall().toNanos() + "ns");
    s.put("correlation.min-stall", o.minStall().toNanos() + "ns");
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

  private void waitWindow(ProfileOptions o) throws InterruptedException {
    long end = System.nanoTime() + o.duration().toNanos();
    Path proc = paths.proc(Integer.toString(o.pid()));
    while (System.nanoTime() < end) {
      if (o.pid() > 0 && !Files.exists(proc)) {
        return; // the followed process is gone: report what we have
      }
      Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000)));
    }
  }

  private String title(ProfileOptions o) {
    String pid =
        o.pid() > 0
            ? "pid " + o.pid() + " (" + comm(paths.proc(Integer.toString(o.pid()), "comm")) + ")"
            : "";
    String cgroup = o.cgroup() != null ? "cgroup " + o.cgroup() : "";
    String both = (pid + (pid.isEmpty() || cgroup.isEmpty() ? "" : " in ") + cgroup).strip();
    return both.isEmpty() ? "all workloads" : both;
  }

  private Map<Integer, String> threadNames(List<ThreadSchedStats> threads, List<Stall> stalls) {
    Map<Integer, String> names = new HashMap<>();
    for (ThreadSchedStats t : threads) {
      names.put(t.tid(), comm(taskComm(t.pid(), t.tid())));
    }
    for (Stall s : stalls) {
      names.computeIfAbsent(s.tid(), tid -> comm(taskComm(s.pid(), tid)));
    }
    return names;
  }

  private Path taskComm(int pid, int tid) {
    return paths.proc(Integer.toString(pid), "task", Integer.toString(tid), "comm");
  }

  private static String comm(Path p) {
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      return "?";
    }
  }

  /** The v2 path; the v1 memory-cgroup path instead when the v2 path says nothing (root). */
  private static String name(CgroupNames v2, CgroupNames v1, CgroupSchedStats s) {
    String n = v2 == null ? null : v2.path(s.cgroupId()).orElse("cgroup id " + s.cgroupId());
    if ((n == null || n.equals("/")) && v1 != null && s.cgroupV1Id() != 0) {
      String m = v1.path(s.cgroupV1Id()).orElse("id " + s.cgroupV1Id());
      if (!m.equals("/")) {
        return "memcg " + m;
      }
    }
    return n == null ? "/" : n;
  }

  private static CgroupNames names(Path root) {
    return root == null ? null : new CgroupNames(root, Duration.ofSeconds(1).toNanos());
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

  private static List<ProgramStats> minus(List<ProgramStats> end, List<ProgramStats> start) {
    List<ProgramStats> out = new ArrayList<>();
    for (int i = 0; i < end.size(); i++) {
      out.add(end.get(i).minus(start.get(i)));
    }
    return out;
  }

  private static Map<List<Long>, CgroupSchedStats> byKey(List<CgroupSchedStats> list) {
    Map<List<Long>, CgroupSchedStats> m = new HashMap<>();
    for (CgroupSchedStats s : list) {
      m.put(List.of(s.cgroupId(), s.cgroupV1Id()), s);
    }
    return m;
  }
}
