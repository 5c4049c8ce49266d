package dev.aiprof.collectors.sched.report;

import static dev.aiprof.api.Durations.format;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import dev.aiprof.api.report.Table.Column;
import dev.aiprof.api.sandbox.ProcTree;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.RunTimeStats;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedCounter;
import dev.aiprof.bpf.sched.SchedEventView;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.bpf.sched.ThreadSchedStats;
import dev.aiprof.collectors.sched.SchedCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The scheduler's parts of a report, two sections: {@link #workloads()} (order 100: per workload
 * (cgroup) the window's runqueue latency, on-CPU and off-CPU time, with runqueue histograms of the
 * busiest two) and {@link #threads()} (order 300: per thread of the process asked for, the longest
 * stalls, the probe's events and, when asked for, its own kernel cost). Differences over the
 * window: the first section opened takes the baselines, the threads section ends the window.
 *
 * <p>One window at a time, on one thread; the stall list is fed on the ring-buffer thread.
 */
public final class SchedReport {
  private final SchedCollector sched;
  private final HostPaths paths;
  private ReportScope scope;
  private TopStalls stalls;
  private Map<List<Long>, CgroupSchedStats> before = Map.of();
  private long sent0;
  private long dropped0;
  private RunTimeStats stats;
  private List<ProgramStats> cost0 = List.of();

  public SchedReport(SchedCollector sched, HostPaths paths) {
    this.sched = sched;
    this.paths = paths;
  }

  /** Workloads and their runqueue histograms. */
  public ReportSection workloads() {
    return new ReportSection() {
      @Override
      public int order() {
        return 100;
      }

      @Override
      public void open(ReportScope s) {
        begin(s);
      }

      @Override
      public void render(ReportWriter out) {
        renderWorkloads(out);
      }
    };
  }

  /** Threads, stalls and the probe's own figures. */
  public ReportSection threads() {
    return new ReportSection() {
      @Override
      public int order() {
        return 300;
      }

      @Override
      public void open(ReportScope s) {
        begin(s);
      }

      @Override
      public void render(ReportWriter out) {
        renderThreads(out);
      }
    };
  }

  private void begin(ReportScope s) {
    if (scope == s) {
      return; // the other section opened this window already
    }
    this.scope = s;
    Predicate<SchedEventView> filter =
        s.byCgroup()
            ? e -> s.cgroupIds().contains(e.cgroupId()) || s.cgroupIds().contains(e.cgroupV1Id())
            : s.pid() > 0 ? e -> e.pid() == s.pid() : e -> true;
    stalls = new TopStalls(s.top(), filter);
    sched.addListener(stalls);
    SchedProbe p = sched.probe();
    before = byKey(p.cgroups());
    sent0 = p.counter(SchedCounter.EVENTS);
    dropped0 = p.counter(SchedCounter.EVENTS_DROPPED);
    if (s.probeCost()) {
      stats = RunTimeStats.enable();
      cost0 = p.programStats();
    }
  }

  private List<ThreadSchedStats> threadsOfPid() {
    return scope.pid() > 0
        ? sched.probe().threads().values().stream().filter(t -> t.pid() == scope.pid()).toList()
        : List.of();
  }

  private void renderWorkloads(ReportWriter out) {
    SchedProbe p = sched.probe();
    List<Workload> workloads = workloads(p.cgroups(), threadsOfPid());
    out.line("scheduler probe: " + p.variant().name().toLowerCase() + " variant");
    out.heading("Workloads (cgroups), by runqueue wait");
    if (workloads.isEmpty()) {
      out.line("(no scheduler activity in the selected workloads)");
    } else {
      out.table(workloadTable(workloads));
    }
    for (Workload w : workloads.stream().limit(2).toList()) {
      out.histogram("Runqueue latency, " + w.name(), w.stats().runqueue());
    }
  }

  private void renderThreads(ReportWriter out) {
    SchedProbe p = sched.probe();
    List<ProgramStats> cost = List.of();
    if (stats != null) {
      cost = minus(p.programStats(), cost0);
      stats.close();
      stats = null;
    }
    sched.removeListener(stalls);
    Optional<Sandbox> sandbox =
        scope.pid() > 0 ? ProcTree.sandboxOf(paths, scope.pid()) : Optional.empty();
    if (sandbox.isPresent()) {
      // The pid's threads are the Sentry's or the VMM's: per-thread figures and stalls would be
      // theirs, not the workload's. The sandbox as a whole is in the workloads table above.
      out.heading("Threads");
      out.line(
          "not observable: pid "
              + scope.pid()
              + " is a "
              + sandbox.get().kind().label()
              + " sandbox's "
              + sandbox.get().role()
              + " process ("
              + sandbox.get().reason()
              + "); its cgroup's row in the workloads table is the sandbox as a whole");
      return;
    }
    List<ThreadSchedStats> threads = threadsOfPid();
    List<Stall> longest = stalls.longestFirst();
    Map<Integer, String> names = threadNames(threads, longest);
    if (!threads.isEmpty()) {
      out.heading("Threads, by runqueue wait");
      out.table(threadTable(threads, names));
    }
    out.heading(
        "Longest stalls (runqueue waits and blocked I/O waits; episodes >= "
            + format(scope.minStall().toNanos())
            + ")");
    if (longest.isEmpty()) {
      out.line("(none)");
    } else {
      out.table(stallTable(longest, names));
    }
    out.line(
        "probe: "
            + (p.counter(SchedCounter.EVENTS) - sent0)
            + " events sent, "
            + (p.counter(SchedCounter.EVENTS_DROPPED) - dropped0)
            + " dropped");
    for (ProgramStats c : cost) {
      out.line(
          String.format(
              "probe cost: %-22s %8.0f ns/run  %10d runs  %s CPU",
              c.name(), c.nanosPerRun(), c.runCount(), format(c.runTimeNs())));
    }
  }

  /** One workload's window statistics and its display name. */
  record Workload(String name, CgroupSchedStats stats) {}

  private List<Workload> workloads(List<CgroupSchedStats> after, List<ThreadSchedStats> threads) {
    List<Long> pidCgroups = threads.stream().map(ThreadSchedStats::cgroupId).toList();
    List<Workload> out = new ArrayList<>();
    for (CgroupSchedStats a : after) {
      CgroupSchedStats b = before.get(List.of(a.cgroupId(), a.cgroupV1Id()));
      CgroupSchedStats d = b == null ? a : a.minus(b);
      boolean wanted =
          scope.byCgroup()
              ? scope.cgroupIds().contains(a.cgroupId())
                  || scope.cgroupIds().contains(a.cgroupV1Id())
              : scope.pid() <= 0 || pidCgroups.contains(a.cgroupId());
      if (wanted && (d.onCpuNs() > 0 || d.runqueueNs() > 0)) {
        String name =
            scope.cgroups().name(a.cgroupId(), a.cgroupV1Id()).orElse("cgroup id " + a.cgroupId());
        out.add(new Workload(name, d));
      }
    }
    out.sort(Comparator.comparingLong((Workload w) -> w.stats().runqueueNs()).reversed());
    return out.stream().limit(scope.top()).toList();
  }

  static Table workloadTable(List<Workload> ws) {
    Table.Builder t =
        Table.builder(
            Column.left("CGROUP", 36),
            Column.right("RUNQ-WAIT"),
            Column.right("WAITS"),
            Column.right("p50"),
            Column.right("p99"),
            Column.right("MAX"),
            Column.right("ON-CPU"),
            Column.right("SLEEP"),
            Column.right("BLOCKED"),
            Column.right("OTHER"));
    for (Workload w : ws) {
      CgroupSchedStats s = w.stats();
      Log2Histogram h = s.runqueue();
      t.row(
          w.name(),
          format(s.runqueueNs()),
          Long.toString(h.total()),
          format(quantile(s, 0.5)),
          format(quantile(s, 0.99)),
          format(s.runqueueMaxNs()),
          format(s.onCpuNs()),
          format(s.offNs(OffCpuKind.SLEEP)),
          format(s.offNs(OffCpuKind.BLOCKED)),
          format(s.offNs(OffCpuKind.OTHER)));
    }
    return t.build();
  }

  /** A quantile from the log2 histogram, never above the exact maximum. */
  static double quantile(CgroupSchedStats s, double q) {
    return Math.min(s.runqueue().quantile(q), s.runqueueMaxNs());
  }

  static Table threadTable(List<ThreadSchedStats> threads, Map<Integer, String> names) {
    Table.Builder t =
        Table.builder(
            Column.left("TID", 8),
            Column.left("NAME", 16),
            Column.right("RUNQ-WAIT"),
            Column.right("WAITS"),
            Column.right("ON-CPU"),
            Column.right("SLEEP"),
            Column.right("BLOCKED"));
    threads.stream()
        .sorted(Comparator.comparingLong(ThreadSchedStats::runqueueNs).reversed())
        .limit(20)
        .forEach(
            th ->
                t.row(
                    Integer.toString(th.tid()),
                    names.getOrDefault(th.tid(), "?"),
                    format(th.runqueueNs()),
                    Long.toString(th.runqueueCount()),
                    format(th.onCpuNs()),
                    format(th.offNs(OffCpuKind.SLEEP)),
                    format(th.offNs(OffCpuKind.BLOCKED))));
    return t.build();
  }

  static Table stallTable(List<Stall> stalls, Map<Integer, String> names) {
    Table.Builder t =
        Table.builder(
            Column.left("PID/TID", 16),
            Column.left("NAME", 16),
            Column.left("KIND", 10),
            Column.right("WAITED"),
            Column.right("THEN-RUNQ"),
            Column.left("WOKEN BY", 24));
    for (Stall s : stalls) {
      t.row(
          s.pid() + "/" + s.tid(),
          names.getOrDefault(s.tid(), "?"),
          s.kind().label(),
          format(s.offNs()),
          format(s.runqueueNs()),
          s.wakerPid() == 0 ? "-" : s.wakerPid() + "/" + s.wakerTid());
    }
    return t.build();
  }

  private Map<Integer, String> threadNames(List<ThreadSchedStats> threads, List<Stall> stalls) {
    Map<Integer, String> names = new HashMap<>();
    for (ThreadSchedStats t : threads) {
      names.put(t.tid(), comm(t.pid(), t.tid()));
    }
    for (Stall s : stalls) {
      names.computeIfAbsent(s.tid(), tid -> comm(s.pid(), tid));
    }
    return names;
  }

  private String comm(int pid, int tid) {
    Path p = paths.proc(Integer.toString(pid), "task", Integer.toString(tid), "comm");
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      return "?";
    }
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
