package dev.aiprof.io.block;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.blockio.BlockIoRequest;
import dev.aiprof.bpf.blockio.BlockIoSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The block I/O part of a report: per workload, disk, direction and origin over the window,
 * requests, bytes, mean queue and service time and the service time's 99th percentile (from the
 * log2 histogram: accurate to a factor of 2), the {@code top} rows by bytes; then the slowest
 * requests of the window. Filtered to the cgroup subtree asked for. Lifecycle as {@link
 * ReportSection}; one thread.
 */
final class BlockIoReportSection implements ReportSection {
  private record Key(long v2, long v1, int dev, String dir, String origin) {
    static Key of(BlockIoSeries s) {
      return new Key(s.cgroupId(), s.cgroupV1Id(), s.dev(), s.dir().label(), s.origin().label());
    }
  }

  private final Supplier<List<BlockIoSeries>> series;
  private final BlockIoActivity activity;
  private final IntFunction<String> names;
  private final java.util.function.LongSupplier clock;
  private final Supplier<String> summary;
  private final Supplier<List<ProgramStats>> cost;
  private Map<Key, BlockIoSeries> before = Map.of();
  private Map<String, ProgramStats> costBefore = Map.of();
  private ReportScope scope;
  private long openedNs;

  BlockIoReportSection(
      Supplier<List<BlockIoSeries>> series,
      BlockIoActivity activity,
      IntFunction<String> names,
      java.util.function.LongSupplier clock,
      Supplier<String> summary,
      Supplier<List<ProgramStats>> cost) {
    this.series = series;
    this.activity = activity;
    this.names = names;
    this.clock = clock;
    this.summary = summary;
    this.cost = cost;
  }

  @Override
  public int order() {
    return 450;
  }

  @Override
  public void open(ReportScope scope) {
    this.scope = scope;
    this.openedNs = clock.getAsLong();
    Map<Key, BlockIoSeries> m = new HashMap<>();
    series.get().forEach(s -> m.put(Key.of(s), s));
    before = m;
    if (scope.probeCost()) {
      Map<String, ProgramStats> c = new HashMap<>();
      cost.get().forEach(p -> c.put(p.name(), p));
      costBefore = c;
    }
  }

  /** One row: a series' growth over the window. */
  record Row(
      String workload,
      String device,
      String dir,
      String origin,
      long requests,
      long bytes,
      double queueMs,
      double serviceMs,
      double p99Ms) {}

  @Override
  public void render(ReportWriter out) {
    long closedNs = clock.getAsLong();
    List<Row> rows = new ArrayList<>();
    for (BlockIoSeries now : series.get()) {
      if (!inScope(now.cgroupId(), now.cgroupV1Id())) {
        continue;
      }
      Row r = row(now, before.get(Key.of(now)));
      if (r.requests() > 0) {
        rows.add(r);
      }
    }
    out.heading("Block I/O");
    out.line(summary.get());
    if (rows.isEmpty()) {
      out.line("(no block requests in the selected workloads)");
    } else {
      rows.sort(Comparator.comparingLong(Row::bytes).thenComparingLong(Row::requests).reversed());
      Table.Builder t =
          Table.builder(
              Table.Column.left("workload", 40),
              Table.Column.left("device", 12),
              Table.Column.left("direction", 9),
              Table.Column.left("origin", 9),
              Table.Column.right("requests"),
              Table.Column.right("bytes"),
              Table.Column.right("queue avg"),
              Table.Column.right("service avg"),
              Table.Column.right("service p99"));
      for (Row r : rows.subList(0, Math.min(scope.top(), rows.size()))) {
        t.row(
            r.workload(),
            r.device(),
            r.dir(),
            r.origin(),
            Long.toString(r.requests()),
            bytes(r.bytes()),
            ms(r.queueMs()),
            ms(r.serviceMs()),
            ms(r.p99Ms()));
      }
      out.table(t.build());
    }
    slowest(out, activity.slow(openedNs, closedNs));
    if (scope.probeCost()) {
      for (ProgramStats now : cost.get()) {
        ProgramStats c =
            costBefore.containsKey(now.name()) ? now.minus(costBefore.get(now.name())) : now;
        out.line(
            String.format(
                "probe cost: %-22s %8.0f ns/run  %10d runs  %s CPU",
                c.name(), c.nanosPerRun(), c.runCount(), ms(c.runTimeNs() / 1e6)));
      }
    }
  }

  private void slowest(ReportWriter out, List<BlockIoRequest> slow) {
    List<BlockIoRequest> mine =
        new ArrayList<>(slow.stream().filter(r -> inScope(r.cgroupId(), r.cgroupV1Id())).toList());
    if (mine.isEmpty()) {
      return;
    }
    mine.sort(Comparator.comparingLong(BlockIoRequest::durationNs).reversed());
    out.line("Slowest block requests (at least blockio.slow-threshold):");
    Table.Builder t =
        Table.builder(
            Table.Column.left("workload", 40),
            Table.Column.right("pid"),
            Table.Column.right("tid"),
            Table.Column.left("device", 12),
            Table.Column.left("direction", 9),
            Table.Column.right("bytes"),
            Table.Column.right("queue"),
            Table.Column.right("service"));
    for (BlockIoRequest r : mine.subList(0, Math.min(scope.top(), mine.size()))) {
      t.row(
          workload(r.cgroupId(), r.cgroupV1Id()),
          Integer.toString(r.pid()),
          Integer.toString(r.tid()),
          names.apply(r.dev()),
          r.dir().label(),
          bytes(r.bytes()),
          ms(r.queueNs() / 1e6),
          ms(r.serviceNs() / 1e6));
    }
    out.table(t.build());
  }

  private Row row(BlockIoSeries now, BlockIoSeries was) {
    long requests = now.requests() - (was == null ? 0 : was.requests());
    long bytes = now.bytes() - (was == null ? 0 : was.bytes());
    long queued = now.queued() - (was == null ? 0 : was.queued());
    long queueNs = now.queueNs() - (was == null ? 0 : was.queueNs());
    long issued = now.issued() - (was == null ? 0 : was.issued());
    long serviceNs = now.serviceNs() - (was == null ? 0 : was.serviceNs());
    Log2Histogram service = was == null ? now.service() : now.service().minus(was.service());
    return new Row(
        workload(now.cgroupId(), now.cgroupV1Id()),
        names.apply(now.dev()),
        now.dir().label(),
        now.origin().label(),
        requests,
        bytes,
        queued == 0 ? Double.NaN : queueNs / 1e6 / queued,
        issued == 0 ? Double.NaN : serviceNs / 1e6 / issued,
        service.total() == 0 ? Double.NaN : service.quantile(0.99) / 1e6);
  }

  private boolean inScope(long v2, long v1) {
    return !scope.byCgroup() || scope.cgroupIds().contains(v2) || scope.cgroupIds().contains(v1);
  }

  private String workload(long v2, long v1) {
    return scope.cgroups().name(v2, v1).orElse("cgroup " + v2 + "/" + v1);
  }

  static String ms(double ms) {
    return Double.isNaN(ms) ? "" : String.format("%.3f ms", ms);
  }

  static String bytes(long b) {
    if (b >= 10L << 20) {
      return String.format("%.1f MiB", b / 1048576.0);
    }
    if (b >= 10L << 10) {
      return String.format("%.1f KiB", b / 1024.0);
    }
    return b + " B";
  }
}
