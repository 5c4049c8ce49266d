package dev.aiprof.io.file;

import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import dev.aiprof.bpf.fileio.FileIoCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The file-I/O part of a report: per process (with its workload) over the window, reads, bytes
 * read, mean and p99 read latency, bytes written, page-cache misses (readahead apart) and major
 * faults, the {@code top} rows by bytes read then faults. Filtered to the process or cgroup subtree
 * asked for. Lifecycle as {@link ReportSection}; one thread.
 */
final class FileIoReportSection implements ReportSection {
  private final FileIoTotals totals;
  private final Runnable refresh;
  private final Supplier<String> attached;
  private Map<FileIoTotals.Proc, FileIoValues> before = Map.of();
  private ReportScope scope;

  FileIoReportSection(FileIoTotals totals, Runnable refresh, Supplier<String> attached) {
    this.totals = totals;
    this.refresh = refresh;
    this.attached = attached;
  }

  @Override
  public int order() {
    return 420;
  }

  @Override
  public void open(ReportScope scope) {
    this.scope = scope;
    refresh.run();
    before = totals.processes();
  }

  private record Row(FileIoTotals.Proc proc, FileIoValues d) {}

  @Override
  public void render(ReportWriter out) {
    refresh.run();
    List<Row> rows = new ArrayList<>();
    FileIoValues none = new FileIoValues();
    totals
        .processes()
        .forEach(
            (p, now) -> {
              FileIoValues d = now.minus(before.getOrDefault(p, none));
              if (!d.isEmpty() && inScope(p)) {
                rows.add(new Row(p, d));
              }
            });
    out.heading("File reads, page cache and major faults");
    out.line(attached.get());
    if (rows.isEmpty()) {
      out.line("(no file I/O in the selected workloads)");
      return;
    }
    rows.sort(
        Comparator.<Row>comparingLong(r -> r.d().readBytes)
            .thenComparingLong(r -> r.d().majorFaults)
            .reversed());
    Table.Builder t =
        Table.builder(
            Table.Column.left("workload", 40),
            Table.Column.right("pid"),
            Table.Column.right("reads"),
            Table.Column.right("read"),
            Table.Column.right("mean"),
            Table.Column.right("p99"),
            Table.Column.right("written"),
            Table.Column.right("misses"),
            Table.Column.right("readahead"),
            Table.Column.right("major faults"));
    for (Row r : rows.subList(0, Math.min(scope.top(), rows.size()))) {
      FileIoValues d = r.d();
      t.row(
          workload(r.proc()),
          Integer.toString(r.proc().pid()),
          Long.toString(d.reads),
          bytes(d.readBytes),
          d.reads == 0 ? "" : micros(d.readNs / (double) d.reads),
          d.reads == 0 ? "" : micros(d.latency().quantile(0.99)),
          bytes(d.writeBytes),
          Long.toString(d.misses()),
          Long.toString(d.pages(FileIoCause.READAHEAD)),
          Long.toString(d.majorFaults));
    }
    out.table(t.build());
  }

  static String bytes(long b) {
    if (b < 10_000) {
      return b + " B";
    }
    if (b < 10_000_000) {
      return String.format("%.1f KiB", b / 1024.0);
    }
    return String.format("%.1f MiB", b / 1048576.0);
  }

  static String micros(double ns) {
    return ns < 1e6 ? String.format("%.0f µs", ns / 1e3) : String.format("%.2f ms", ns / 1e6);
  }

  private boolean inScope(FileIoTotals.Proc p) {
    if (scope.pid() > 0) {
      return p.pid() == scope.pid();
    }
    return !scope.byCgroup()
        || scope.cgroupIds().contains(p.cgroupId())
        || scope.cgroupIds().contains(p.cgroupV1Id());
  }

  private String workload(FileIoTotals.Proc p) {
    return scope
        .cgroups()
        .name(p.cgroupId(), p.cgroupV1Id())
        .orElse("cgroup " + p.cgroupId() + "/" + p.cgroupV1Id());
  }
}
