package dev.aiprof.gpu.cuda;

import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The CUDA part of a report: per workload and call over the window, calls, errors, bytes and time
 * in the call (synchronisation waits, copies and allocations: calls with a return probe), the
 * {@code top} rows by time then calls. Filtered to the cgroup subtree asked for; a process asked
 * for is reported with its whole workload (totals are per cgroup). Lifecycle as {@link
 * ReportSection}; one thread.
 */
final class CudaReportSection implements ReportSection {
  private final CudaTotals totals;
  private final Runnable drain;
  private final IntSupplier libraries;
  private final IntSupplier processes;
  private Map<CudaTotals.Series, long[]> before = Map.of();
  private ReportScope scope;

  CudaReportSection(
      CudaTotals totals, Runnable drain, IntSupplier libraries, IntSupplier processes) {
    this.totals = totals;
    this.drain = drain;
    this.libraries = libraries;
    this.processes = processes;
  }

  @Override
  public int order() {
    return 400;
  }

  @Override
  public void open(ReportScope scope) {
    this.scope = scope;
    drain.run();
    before = totals.snapshot();
  }

  /** One row: a workload's calls of one function over the window. */
  private record Row(String workload, String call, String dir, long[] d) {}

  @Override
  public void render(ReportWriter out) {
    drain.run();
    List<Row> rows = new ArrayList<>();
    totals
        .snapshot()
        .forEach(
            (k, now) -> {
              long[] was = before.getOrDefault(k, new long[4]);
              long[] d = new long[4];
              for (int i = 0; i < 4; i++) {
                d[i] = now[i] - was[i];
              }
              if (d[0] > 0 && inScope(k)) {
                rows.add(new Row(workload(k), k.call().label(), k.dir().label(), d));
              }
            });
    out.heading("CUDA calls");
    out.line(
        libraries.getAsInt()
            + " CUDA library file(s) probed, "
            + processes.getAsInt()
            + " process(es) mapping one");
    if (rows.isEmpty()) {
      out.line("(no CUDA calls in the selected workloads)");
      return;
    }
    rows.sort(
        Comparator.<Row>comparingLong(r -> r.d()[3]).thenComparingLong(r -> r.d()[0]).reversed());
    Table.Builder t =
        Table.builder(
            Table.Column.left("workload", 40),
            Table.Column.left("call", 24),
            Table.Column.left("direction", 9),
            Table.Column.right("calls"),
            Table.Column.right("errors"),
            Table.Column.right("bytes"),
            Table.Column.right("time in call"));
    for (Row r : rows.subList(0, Math.min(scope.top(), rows.size()))) {
      t.row(
          r.workload(),
          r.call(),
          r.dir().equals("none") ? "" : r.dir(),
          Long.toString(r.d()[0]),
          Long.toString(r.d()[1]),
          r.d()[2] == 0 ? "" : Long.toString(r.d()[2]),
          r.d()[3] == 0 ? "" : String.format("%.3f ms", r.d()[3] / 1e6));
    }
    out.table(t.build());
  }

  private boolean inScope(CudaTotals.Series k) {
    return !scope.byCgroup()
        || scope.cgroupIds().contains(k.cgroupId())
        || scope.cgroupIds().contains(k.cgroupV1Id());
  }

  private String workload(CudaTotals.Series k) {
    return scope
        .cgroups()
        .name(k.cgroupId(), k.cgroupV1Id())
        .orElse("cgroup " + k.cgroupId() + "/" + k.cgroupV1Id());
  }
}
