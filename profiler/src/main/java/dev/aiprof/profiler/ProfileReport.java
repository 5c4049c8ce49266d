package dev.aiprof.profiler;

import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile's part of a report: the window's top functions (self and total) of the selected
 * process (or every process), the top function of each phase name, the longest off-CPU stacks, and
 * where the folded and pprof files went. Lifecycle: {@link #open} then {@link #render}, one thread.
 */
final class ProfileReport implements ReportSection {
  private final ProfileCollector profile;
  private final Path directory;
  private ReportScope scope;

  /** {@code directory} null: no files. */
  ProfileReport(ProfileCollector profile, Path directory) {
    this.profile = profile;
    this.directory = directory;
  }

  @Override
  public int order() {
    return 650;
  }

  @Override
  public void open(ReportScope scope) {
    this.scope = scope;
    profile.resetWindow(scope.pid());
  }

  @Override
  public void render(ReportWriter out) {
    profile.resolve();
    int pid = scope == null ? 0 : scope.pid();
    int top = scope == null ? 10 : scope.top();
    WeightedStacks cpu = profile.window(true, pid);
    WeightedStacks off = profile.window(false, pid);
    long hz = profile.probe().config().frequencyHz();
    out.heading("CPU profile (" + hz + " Hz per CPU)");
    if (cpu.isEmpty()) {
      out.line("(no on-CPU samples in the selected workloads)");
    } else {
      out.line(cpu.samples() + " on-CPU samples");
      Table.Builder t =
          Table.builder(
              Table.Column.left("function", 60),
              Table.Column.right("self"),
              Table.Column.right("total"));
      Map<String, Long> totals = new TreeMap<>();
      cpu.topTotal(Integer.MAX_VALUE).forEach(f -> totals.put(f.name(), f.totalSamples()));
      for (WeightedStacks.Function f : cpu.topSelf(top)) {
        t.row(
            f.name(),
            pct(f.selfSamples(), cpu.samples()),
            pct(totals.get(f.name()), cpu.samples()));
      }
      out.table(t.build());
    }
    Map<String, WeightedStacks> phases = new TreeMap<>(profile.phases());
    if (!phases.isEmpty()) {
      Table.Builder t =
          Table.builder(
              Table.Column.left("phase", 32),
              Table.Column.right("samples"),
              Table.Column.left("top function (self)", 60),
              Table.Column.right("share"));
      phases.forEach(
          (name, w) -> {
            List<WeightedStacks.Function> f = w.topSelf(1);
            t.row(
                name,
                Long.toString(w.samples()),
                f.isEmpty() ? "-" : f.getFirst().name(),
                f.isEmpty() ? "-" : pct(f.getFirst().selfSamples(), w.samples()));
          });
      out.heading("CPU profile by phase");
      out.table(t.build());
    }
    if (!off.isEmpty()) {
      out.heading("Off-CPU stacks of followed threads (by time off-CPU)");
      Table.Builder t =
          Table.builder(Table.Column.left("waited in (leaf first)", 90), Table.Column.right("ms"));
      off.stacks().entrySet().stream()
          .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
          .limit(top)
          .forEach(
              e -> t.row(leafFirst(e.getKey(), 6), String.format("%.1f", e.getValue()[1] / 1e6)));
      out.table(t.build());
    }
    if (directory != null && !cpu.isEmpty()) {
      try {
        out.line("folded stacks and pprof files: " + profile.writeFiles(directory, pid));
      } catch (java.io.IOException | RuntimeException e) {
        out.line("profile files not written to " + directory + ": " + e.getMessage());
      }
    }
  }

  private static String leafFirst(List<String> rootFirst, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = rootFirst.size() - 1, k = 0; i >= 0 && k < n; i--, k++) {
      if (k > 0) {
        b.append(" < ");
      }
      b.append(rootFirst.get(i));
    }
    return b.toString();
  }

  private static String pct(long n, long of) {
    return String.format("%.1f%%", 100.0 * n / of);
  }
}
