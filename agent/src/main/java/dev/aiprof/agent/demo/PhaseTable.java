package dev.aiprof.agent.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The demo's per-phase table and its one-line verdict, from the exported spans of the reference
 * processes: one row per span name and source ({@code otlp}: the service's own spans, forwarded
 * with the kernel's view; {@code marker}: its libaiprof.so phases), in order of first appearance.
 * Thread time is shown as shares: on-CPU, runqueue, I/O wait (uninterruptible: blocked), other
 * off-CPU (sleeping, waiting for a lock or a peer); GPU only when a span carries it.
 */
final class PhaseTable {
  /** Spans that only wrap others' work (the waits of the client and the HTTP thread). */
  private static final Set<String> WRAPPERS = Set.of("POST /v1/completions", "queue");

  /** The server's start-up steps (before any request). */
  private static final Set<String> STARTUP = Set.of("embed corpus", "write model");

  private final List<PhaseRow> rows;

  private PhaseTable(List<PhaseRow> rows) {
    this.rows = rows;
  }

  static PhaseTable of(List<RecordedSpan> spans, Set<Long> pids) {
    Map<String, PhaseRow> rows = new LinkedHashMap<>();
    List<RecordedSpan> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(RecordedSpan::startNanos));
    for (RecordedSpan s : sorted) {
      if (!pids.contains(s.pid())) {
        continue;
      }
      String origin = s.string("aiprof.phase.origin");
      String source = origin == null ? "otlp" : origin;
      String name = s.name() + (s.name().startsWith("POST ") ? " (" + role(s) + ")" : "");
      rows.computeIfAbsent(name + "\0" + source, k -> new PhaseRow(name, source)).add(s);
    }
    return new PhaseTable(new ArrayList<>(rows.values()));
  }

  private static String role(RecordedSpan s) {
    return s.service().contains("client") ? "client" : "server";
  }

  List<PhaseRow> rows() {
    return rows;
  }

  PhaseRow row(String name, String source) {
    return rows.stream()
        .filter(r -> r.name.equals(name) && r.source.equals(source))
        .findFirst()
        .orElse(null);
  }

  void print(PrintStream out) {
    boolean gpu = rows.stream().anyMatch(r -> r.gpu > 0);
    boolean steal = rows.stream().anyMatch(r -> r.share(r.steal) >= 0.005);
    String head =
        String.format(
            Locale.ROOT,
            "%-38s %-6s %6s %9s %9s %7s %8s %8s %9s%s%s",
            "phase",
            "source",
            "count",
            "wall p50",
            "wall p99",
            "on-CPU",
            "runqueue",
            "I/O wait",
            "other off",
            steal ? "    steal" : "",
            gpu ? "      GPU" : "");
    out.println(head);
    for (PhaseRow r : rows) {
      if (!r.source.equals("otlp")) {
        continue; // summed up below
      }
      out.printf(
          Locale.ROOT,
          "%-38s %-6s %6d %9s %9s %7s %8s %8s %9s%s%s%n",
          clip(r.name, 38),
          r.source,
          r.count(),
          ms(r.wall(0.5)),
          ms(r.wall(0.99)),
          pct(r.share(r.onCpu)),
          pct(r.share(r.runqueue)),
          pct(r.share(r.blocked)),
          pct(r.share(r.otherOff)),
          steal ? String.format(Locale.ROOT, " %8s", pct(r.share(r.steal))) : "",
          gpu ? String.format(Locale.ROOT, " %5.0f ms", r.gpu) : "");
    }
  }

  /**
   * One line on the libaiprof.so phases: how many, of which steps, and how close their thread time
   * is to the spans' (the same steps marked twice, on the same threads).
   */
  String markerLine() {
    List<PhaseRow> marks = rows.stream().filter(r -> r.source.equals("marker")).toList();
    if (marks.isEmpty()) {
      return "libaiprof.so: no marker phases (the library was not found or not attached)";
    }
    int n = marks.stream().mapToInt(PhaseRow::count).sum();
    double spanMs = 0;
    double markMs = 0;
    for (PhaseRow m : marks) {
      PhaseRow o = row(m.name, "otlp");
      if (o != null) {
        spanMs += o.threadMs();
        markMs += m.threadMs();
      }
    }
    return String.format(
        Locale.ROOT,
        "libaiprof.so: the same steps also marked as %d phases (source marker, traces of their"
            + " own); their thread time is %s of the spans'",
        n,
        pct(spanMs == 0 ? 0 : markMs / spanMs));
  }

  /**
   * Where the request work's thread time went: the step that took most of it and how, and the
   * largest wait of any step.
   */
  String verdict() {
    List<PhaseRow> work =
        rows.stream()
            .filter(r -> r.source.equals("otlp") && !WRAPPERS.contains(base(r.name)))
            .filter(r -> !STARTUP.contains(r.name) && !r.name.startsWith("load "))
            .filter(r -> !r.name.startsWith("text_completion "))
            .filter(r -> r.threadMs() > 0)
            .toList();
    if (work.isEmpty()) {
      return "verdict: no request step was correlated (see the agent's log above)";
    }
    double total = work.stream().mapToDouble(PhaseRow::threadMs).sum();
    PhaseRow top = work.stream().max(Comparator.comparingDouble(PhaseRow::threadMs)).get();
    String[] labels = {"on a CPU", "waiting for a CPU (runqueue)", "in I/O wait", "off-CPU"};
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "verdict: %s took %s of the request steps' thread time, %s of it %s",
                top.name,
                pct(top.threadMs() / total),
                pct(largest(top)[1]),
                labels[(int) largest(top)[0]]));
    PhaseRow waits = null;
    double waitMs = 0;
    int kind = 0;
    double waitShare = 0;
    for (PhaseRow r : work) {
      if (r.threadMs() < 0.05 * total) {
        continue; // too small a step to matter
      }
      double[] w = {r.runqueue, r.blocked};
      for (int k = 0; k < 2; k++) {
        if (r.share(w[k]) > waitShare) {
          waitShare = r.share(w[k]);
          waitMs = w[k];
          waits = r;
          kind = k;
        }
      }
    }
    if (waits != null && waitShare >= 0.1) {
      b.append(
          String.format(
              Locale.ROOT,
              "; the largest wait: %s spent %s of its thread time %s",
              waits.name,
              pct(waits.share(waitMs)),
              kind == 0 ? "in the runqueue" : "in I/O wait"));
    }
    return b.toString();
  }

  /** {category index, share} of a row's largest category. */
  private static double[] largest(PhaseRow r) {
    double[] v = {r.onCpu, r.runqueue, r.blocked, r.otherOff};
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return new double[] {best, r.share(v[best])};
  }

  private static String base(String name) {
    int p = name.indexOf(" (");
    return p < 0 ? name : name.substring(0, p);
  }

  static String ms(long nanos) {
    double ms = nanos / 1e6;
    return ms >= 100
        ? String.format(Locale.ROOT, "%.0f ms", ms)
        : String.format(Locale.ROOT, "%.2f ms", ms);
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
