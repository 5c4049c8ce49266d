package dev.aiprof.agent.profile;

import static dev.aiprof.api.Durations.format;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportSink;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import dev.aiprof.api.report.Table.Column;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The text report of {@code aiprof profile}: a title line, the collectors' sections in their order
 * with the phase table among them (order 200), and the agent's own cost. Phases arrive on the
 * correlation thread ({@link PhaseTable} is thread-safe); {@link #finish} prints, once.
 */
public final class TextReport implements ReportSink {
  private final PrintStream out;
  private final PhaseTable phases;
  private String title = "all workloads";
  private Duration window = Duration.ZERO;
  private SelfCost self;
  private String collectors = "";
  private String sandbox = "";

  public TextReport(PrintStream out, Predicate<CorrelatedPhase> filter) {
    this.out = out;
    this.phases = new PhaseTable(filter);
  }

  /** What was profiled, and for how long (set before finish). */
  public void window(String what, Duration length, SelfCost cost, String collectorsLine) {
    this.title = what;
    this.window = length;
    this.self = cost;
    this.collectors = collectorsLine;
  }

  /** A note printed under the title: the profiled pid is a sandbox's (set before finish). */
  public void sandbox(String note) {
    this.sandbox = note;
  }

  /** What a profile of a sandbox's host process can and cannot say (pure). */
  public static String sandboxNote(int pid, dev.aiprof.api.sandbox.Sandbox sb) {
    return "pid "
        + pid
        + " is a "
        + sb.kind().label()
        + " sandbox's "
        + sb.role()
        + " process: CPU, runqueue, I/O, TCP and GPU figures are the sandbox's as a whole;"
        + " per-thread and per-phase scheduler figures are not observable ("
        + sb.reason()
        + ")";
  }

  @Override
  public void accept(CorrelatedPhase phase) {
    phases.accept(phase);
  }

  /** The phase table's rows so far (tests). */
  public List<PhaseTable.Row> phaseRows() {
    return phases.rows();
  }

  @Override
  public void finish(List<ReportSection> sections) {
    out.printf("aiprof profile: %s over %s%n%n", title, format(window.toNanos()));
    if (!sandbox.isEmpty()) {
      out.printf("%s%n%n", sandbox);
    }
    List<ReportSection> all = new ArrayList<>(sections);
    all.add(phaseSection());
    all.sort(Comparator.comparingInt(ReportSection::order));
    TextWriter w = new TextWriter(out);
    for (ReportSection s : all) {
      s.render(w);
      w.end();
    }
    if (!collectors.isEmpty()) {
      out.println(collectors);
    }
    if (self != null) {
      out.printf(
          "agent: %s CPU over the window for %d events (%.3f s per million), of which JIT"
              + " compilation %s (%.3f s per million without it), RSS %d MB (peak %d MB)%n",
          format(self.cpuNs()),
          self.events(),
          self.cpuSecondsPerMillionEvents(),
          format(self.jitNs()),
          self.cpuSecondsPerMillionEventsWithoutJit(),
          self.rssBytes() >> 20,
          self.peakRssBytes() >> 20);
    }
  }

  private ReportSection phaseSection() {
    return new ReportSection() {
      @Override
      public int order() {
        return 200;
      }

      @Override
      public void open(ReportScope scope) {}

      @Override
      public void render(ReportWriter w) {
        List<PhaseTable.Row> rows = phases.rows();
        if (!rows.isEmpty()) {
          w.heading(
              "Phases, by wall time (thread time by where it went, % of the phase's thread time)");
          w.table(phaseTable(rows));
        }
      }
    };
  }

  static Table phaseTable(List<PhaseTable.Row> rows) {
    List<Category> more =
        rows.stream().flatMap(r -> r.more().keySet().stream()).distinct().sorted().toList();
    List<Column> cols =
        new ArrayList<>(
            List.of(
                Column.left("PHASE", 20),
                Column.left("ORIGIN", 7),
                Column.right("COUNT"),
                Column.right("WALL"),
                Column.right("ON-CPU"),
                Column.right("RUNQUEUE"),
                Column.right("I/O WAIT"),
                Column.right("OTHER OFF-CPU")));
    more.forEach(c -> cols.add(Column.right(c.label().toUpperCase(Locale.ROOT))));
    List<List<String>> cells = new ArrayList<>();
    for (PhaseTable.Row p : rows) {
      double total = Math.max(1, p.threadNs());
      List<String> r =
          new ArrayList<>(
              List.of(
                  p.phase(),
                  p.origin(),
                  Long.toString(p.count()),
                  format(p.wallNs()),
                  share(p.onCpuNs(), total),
                  share(p.runqueueNs(), total),
                  share(p.blockedNs(), total),
                  share(p.otherOffNs(), total)));
      for (Category c : more) {
        Long v = p.more().get(c);
        r.add(v == null ? "-" : c.kind().isTime() ? format(v) : Long.toString(v));
      }
      cells.add(r);
    }
    return new Table(cols, cells);
  }

  private static String share(long ns, double total) {
    return String.format("%s %5.1f%%", format(ns), 100 * ns / total);
  }
}
