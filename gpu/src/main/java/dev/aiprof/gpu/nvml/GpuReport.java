package dev.aiprof.gpu.nvml;

import dev.aiprof.api.Durations;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The GPU part of {@code aiprof profile}: per device over the window, its mean utilisation (from
 * the samples), busy time, latest memory and power, energy used and XIDs; then the processes NVML
 * listed on the GPUs at the end (only the profiled process's, when one was asked for). Reads what
 * the sampler and the XID thread published.
 */
final class GpuReport implements ReportSection {
  private static final double GIB = 1L << 30;

  private final List<DeviceState> devices;
  private final XidLog xids;
  private final Duration interval;
  private final LongSupplier clock;
  private final Map<GpuDevice, Double> energyAtOpen = new HashMap<>();
  private ReportScope scope;
  private long openNs;

  GpuReport(List<DeviceState> devices, XidLog xids, Duration interval, LongSupplier clock) {
    this.devices = devices;
    this.xids = xids;
    this.interval = interval;
    this.clock = clock;
  }

  @Override
  public int order() {
    return 500;
  }

  @Override
  public void open(ReportScope scope) {
    this.scope = scope;
    openNs = clock.getAsLong();
    for (DeviceState d : devices) {
      DeviceSample s = d.latest();
      if (s != null && !Double.isNaN(s.energyJ)) {
        energyAtOpen.put(d.device, s.energyJ);
      }
    }
  }

  @Override
  public void render(ReportWriter out) {
    long now = clock.getAsLong();
    out.heading("GPUs (NVML, sampled every " + Durations.format(interval.toNanos()) + ")");
    Table.Builder t =
        Table.builder(
            Table.Column.left("DEVICE", 14),
            Table.Column.left("MODEL", 40),
            Table.Column.right("UTIL"),
            Table.Column.right("BUSY"),
            Table.Column.right("MEMORY"),
            Table.Column.right("POWER"),
            Table.Column.right("ENERGY"),
            Table.Column.right("XIDS"),
            Table.Column.left("STATUS", 40));
    for (DeviceState d : devices) {
      t.row(row(d, now));
    }
    out.table(t.build());
    processes(out);
  }

  private String[] row(DeviceState d, long now) {
    SampleRing.Busy b = d.ring.busy(openNs, now);
    DeviceSample s = d.latest();
    String mem =
        s == null || s.memTotal <= 0
            ? "-"
            : String.format("%.1f/%.0f GiB", s.memUsed / GIB, s.memTotal / GIB);
    Double e0 = energyAtOpen.get(d.device);
    String energy =
        s == null || e0 == null || Double.isNaN(s.energyJ)
            ? "-"
            : String.format("%.0f J", s.energyJ - e0);
    return new String[] {
      d.device.label(),
      d.device.name(),
      b.coveredNs() == 0 ? "-" : String.format("%.0f%%", 100 * b.meanUtilization()),
      b.coveredNs() == 0 ? "-" : Durations.format(b.busyNs()),
      mem,
      s == null || Double.isNaN(s.powerW) ? "-" : String.format("%.0f W", s.powerW),
      energy,
      Integer.toString(xids.between(d.device.uuid(), openNs, now).size()),
      d.describe()
    };
  }

  private void processes(ReportWriter out) {
    Table.Builder t =
        Table.builder(
            Table.Column.right("PID"),
            Table.Column.left("DEVICE", 14),
            Table.Column.right("MEMORY"),
            Table.Column.right("SM"),
            Table.Column.right("MEM BW"));
    int n = 0;
    for (DeviceState d : devices) {
      DeviceSample s = d.latest();
      if (s == null || d.lost() != null) {
        continue;
      }
      for (DeviceSample.ProcessUse p : s.processes) {
        if ((scope.pid() == 0 || scope.pid() == p.pid()) && n++ < scope.top()) {
          t.row(
              Integer.toString(p.pid()),
              d.device.label(),
              String.format("%.1f GiB", p.usedBytes() / GIB),
              Double.isNaN(p.sm()) ? "-" : String.format("%.0f%%", 100 * p.sm()),
              Double.isNaN(p.memory()) ? "-" : String.format("%.0f%%", 100 * p.memory()));
        }
      }
    }
    out.heading("GPU processes (at the end of the window)");
    if (n == 0) {
      out.line("(no process of the selection on a GPU)");
    } else {
      out.table(t.build());
    }
  }
}
