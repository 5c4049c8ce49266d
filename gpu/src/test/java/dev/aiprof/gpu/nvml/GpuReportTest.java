package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The GPU report section over devices whose samples the test publishes. */
class GpuReportTest {
  private static final long S = 1_000_000_000L;

  private static DeviceState state(int i) {
    GpuDevice d = new GpuDevice(i, new Nvml.Device(i + 1), "GPU-" + i, "H100", "", null, -1, -1);
    return new DeviceState(
        new DeviceSampler(null, d, 16, (r, e) -> {}, (r, e) -> {}, p -> null), 64);
  }

  private static DeviceSample sample(
      long t, double util, double energy, DeviceSample.ProcessUse... p) {
    DeviceSample s = new DeviceSample();
    s.monoNs = t;
    s.gpuUtil = util;
    s.memTotal = 80L << 30;
    s.memUsed = 20L << 30;
    s.powerW = 350;
    s.energyJ = energy;
    s.processes = List.of(p);
    return s;
  }

  @Test
  void listsEachDeviceOverTheWindowAndTheProfiledProcessOnly() {
    AtomicLong now = new AtomicLong(10 * S);
    DeviceState a = state(0);
    DeviceState b = state(1);
    XidLog xids = new XidLog();
    GpuReport report = new GpuReport(List.of(a, b), xids, Duration.ofSeconds(1), now::get);
    a.publish(sample(10 * S, 0.5, 1000));
    b.publish(sample(10 * S, 0, 500));
    report.open(new ReportScope(42, Set.of(), 10, Duration.ofMillis(1), false, null));
    var mine = new DeviceSample.ProcessUse(42, 4L << 30, 0.8, 0.2, new ProcessCgroups.Ids(0, 0));
    var other = new DeviceSample.ProcessUse(7, 1L << 30, 0.1, 0.0, new ProcessCgroups.Ids(0, 0));
    for (int t = 11; t <= 14; t++) {
      a.publish(sample(t * S, 0.75, 1000 + 350 * (t - 10), mine, other));
      b.publish(sample(t * S, 0, 500));
    }
    xids.record(new XidLog.Xid(12 * S, a.device, 31));
    b.markLost("GPU is lost");
    now.set(14 * S);

    List<String> out = new ArrayList<>();
    report.render(writer(out));
    assertThat(out)
        .containsExactly(
            "# GPUs (NVML, sampled every 1.00s)",
            "gpu0|H100|75%|3.00s|20.0/80 GiB|350 W|1400 J|1|ok",
            "gpu1|H100|0%|0ns|20.0/80 GiB|350 W|0 J|0|lost: GPU is lost",
            "# GPU processes (at the end of the window)",
            "42|gpu0|4.0 GiB|80%|20%");
  }

  private static ReportWriter writer(List<String> out) {
    return new ReportWriter() {
      @Override
      public void heading(String title) {
        out.add("# " + title);
      }

      @Override
      public void table(Table t) {
        t.rows().forEach(r -> out.add(String.join("|", r)));
      }

      @Override
      public void histogram(String title, Log2Histogram nanos) {}

      @Override
      public void line(String text) {
        out.add(text);
      }
    };
  }
}
