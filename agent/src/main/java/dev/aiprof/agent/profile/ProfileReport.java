package dev.aiprof.agent.profile;

import static dev.aiprof.api.Durations.format;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.ThreadSchedStats;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;

/** Renders a {@link ProfileResult} as the text report of {@code aiprof profile} (pure). */
public final class ProfileReport {
  private static final int BAR = 40;

  private ProfileReport() {}

  public static void render(ProfileResult r, PrintStream out) {
    out.printf(
        "aiprof profile: %s over %s, scheduler probe %s%n%n",
        r.title(), format(r.window().toNanos()), r.variant());
    workloads(r.workloads(), out);
    for (ProfileResult.Workload w : r.workloads().stream().limit(2).toList()) {
      histogram("Runqueue latency, " + w.name(), w.stats().runqueue(), out);
    }
    if (!r.phases().isEmpty()) {
      phases(r.phases(), out);
    }
    if (!r.threads().isEmpty()) {
      threads(r, out);
    }
    stalls(r, out);
    out.printf("%nprobe: %d events sent, %d dropped%n", r.eventsSent(), r.eventsDropped());
    SelfCost c = r.self();
    out.printf(
        "agent: %s CPU over the window for %d events (%.3f s per million), of which JIT"
            + " compilation %s (%.3f s per million without it), RSS %d MB (peak %d MB)%n",
        format(c.cpuNs()),
        c.events(),
        c.cpuSecondsPerMillionEvents(),
        format(c.jitNs()),
        c.cpuSecondsPerMillionEventsWithoutJit(),
        c.rssBytes() >> 20,
        c.peakRssBytes() >> 20);
    for (ProgramStats p : r.probeCost()) {
      out.printf(
          "probe cost: %-22s %8.0f ns/run  %10d runs  %s CPU%n",
          p.name(), p.nanosPerRun(), p.runCount(), format(p.runTimeNs()));
    }
  }

  static void workloads(List<ProfileResult.Workload> ws, PrintStream out) {
    out.println("Workloads (cgroups), by runqueue wait:");
    if (ws.isEmpty()) {
      out.println("  (no scheduler activity in the selected workloads)");
      out.println();
      return;
    }
    out.printf(
        "  %-36s %10s %8s %9s %9s %9s %10s %10s %10s %9s%n",
        "CGROUP", "RUNQ-WAIT", "WAITS", "p50", "p99", "MAX", "ON-CPU", "SLEEP", "BLOCKED", "OTHER");
    for (ProfileResult.Workload w : ws) {
      CgroupSchedStats s = w.stats();
      Log2Histogram h = s.runqueue();
      out.printf(
          "  %-36s %10s %8d %9s %9s %9s %10s %10s %10s %9s%n",
          clip(w.name(), 36),
          format(s.runqueueNs()),
          h.total(),
          format(quantile(s, 0.5)),
          format(quantile(s, 0.99)),
          format(s.runqueueMaxNs()),
          format(s.onCpuNs()),
          format(s.offNs(OffCpuKind.SLEEP)),
          format(s.offNs(OffCpuKind.BLOCKED)),
          format(s.offNs(OffCpuKind.OTHER)));
    }
    out.println();
  }

  /** A quantile from the log2 histogram, never above the exact maximum. */
  static double quantile(CgroupSchedStats s, double q) {
    return Math.min(s.runqueue().quantile(q), s.runqueueMaxNs());
  }

  static void histogram(String title, Log2Histogram h, PrintStream out) {
    out.println(title + ":");
    int first = 0;
    int last = h.slots() - 1;
    while (first < h.slots() && h.count(first) == 0) {
      first++;
    }
    while (last >= 0 && h.count(last) == 0) {
      last--;
    }
    if (first > last) {
      out.println("  (no waits)");
      out.println();
      return;
    }
    long max = 0;
    for (int i = first; i <= last; i++) {
      max = Math.max(max, h.count(i));
    }
    for (int i = first; i <= last; i++) {
      int bar = (int) Math.round((double) h.count(i) * BAR / max);
      out.printf(
          "  %9s -> %-9s : %-8d |%-40s|%n",
          format(Log2Histogram.lowerBound(i)),
          format(Log2Histogram.upperBound(i)),
          h.count(i),
          "*".repeat(bar));
    }
    out.println();
  }

  static void phases(List<PhaseTable.Row> rows, PrintStream out) {
    out.println(
        "Phases, by wall time (thread time by where it went, % of the phase's thread time):");
    out.printf(
        "  %-20s %-7s %6s %9s %16s %16s %16s %16s %5s%n",
        "PHASE",
        "ORIGIN",
        "COUNT",
        "WALL",
        "ON-CPU",
        "RUNQUEUE",
        "I/O WAIT",
        "OTHER OFF-CPU",
        "GPU");
    for (PhaseTable.Row p : rows) {
      double t = Math.max(1, p.threadNs());
      out.printf(
          "  %-20s %-7s %6d %9s %9s %5.1f%% %9s %5.1f%% %9s %5.1f%% %9s %5.1f%% %5s%n",
          clip(p.phase(), 20),
          p.origin(),
          p.count(),
          format(p.wallNs()),
          format(p.onCpuNs()),
          100 * p.onCpuNs() / t,
          format(p.runqueueNs()),
          100 * p.runqueueNs() / t,
          format(p.blockedNs()),
          100 * p.blockedNs() / t,
          format(p.otherOffNs()),
          100 * p.otherOffNs() / t,
          Double.isNaN(p.gpuUtil()) ? "-" : String.format("%.0f%%", p.gpuUtil()));
    }
    out.println();
  }

  static void threads(ProfileResult r, PrintStream out) {
    out.println("Threads, by runqueue wait:");
    out.printf(
        "  %-8s %-16s %10s %8s %10s %10s %10s%n",
        "TID", "NAME", "RUNQ-WAIT", "WAITS", "ON-CPU", "SLEEP", "BLOCKED");
    r.threads().stream()
        .sorted(Comparator.comparingLong(ThreadSchedStats::runqueueNs).reversed())
        .limit(20)
        .forEach(
            t ->
                out.printf(
                    "  %-8d %-16s %10s %8d %10s %10s %10s%n",
                    t.tid(),
                    clip(r.threadNames().getOrDefault(t.tid(), "?"), 16),
                    format(t.runqueueNs()),
                    t.runqueueCount(),
                    format(t.onCpuNs()),
                    format(t.offNs(OffCpuKind.SLEEP)),
                    format(t.offNs(OffCpuKind.BLOCKED))));
    out.println();
  }

  static void stalls(ProfileResult r, PrintStream out) {
    out.printf(
        "Longest stalls (runqueue waits and blocked I/O waits; episodes >= %s):%n",
        format(r.minStallNs()));
    if (r.stalls().isEmpty()) {
      out.println("  (none)");
      return;
    }
    out.printf(
        "  %-16s %-16s %-10s %10s %10s  %s%n",
        "PID/TID", "NAME", "KIND", "WAITED", "THEN-RUNQ", "WOKEN BY");
    for (Stall s : r.stalls()) {
      String waker = s.wakerPid() == 0 ? "-" : s.wakerPid() + "/" + s.wakerTid();
      out.printf(
          "  %-16s %-16s %-10s %10s %10s  %s%n",
          s.pid() + "/" + s.tid(),
          clip(r.threadNames().getOrDefault(s.tid(), "?"), 16),
          s.kind().label(),
          format(s.offNs()),
          format(s.runqueueNs()),
          waker);
    }
  }

  /** Shortens in the middle, keeping the start ("memcg /...") and the distinctive end. */
  static String clip(String s, int n) {
    if (s.length() <= n) {
      return s;
    }
    int head = Math.min(10, n / 3);
    return s.substring(0, head) + "…" + s.substring(s.length() - (n - head - 1));
  }
}
