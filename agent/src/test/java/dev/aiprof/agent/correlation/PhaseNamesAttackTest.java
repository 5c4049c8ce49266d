package dev.aiprof.agent.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.exporters.ExporterOptions;
import dev.aiprof.exporters.Exporters;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's first finding as a regression test: distinct phase names, from one workload and from
 * many, against the real exporters and their Prometheus endpoint with the default settings. {@code
 * /metrics} and the series stay bounded (per workload and in total) and the overflow is counted;
 * each case prints its figures.
 */
class PhaseNamesAttackTest {
  @TempDir Path dir;

  @Test
  void fiveThousandNamesOfOneWorkloadAndFiveThousandWorkloadsStayBounded() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ExporterOptions o =
        new ExporterOptions(null, true, "127.0.0.1:" + port, dir, Map.of(), "node", null, "1");
    Exporters e = Exporters.start(o, WorkloadAttributes.NONE);
    try {
      long live0 = liveHeap();
      PhaseMetrics m = PhaseMetrics.create(e.meter(), Settings.defaults());
      Map<Category, Long> values = Map.of(Category.ON_CPU, 1_000_000L, Category.SLEEP, 500_000L);
      for (int i = 0; i < 5_000; i++) {
        m.accept(PhaseMetricsTest.phase("attacker", "name-" + i, 2_000_000, values));
      }
      List<String> one = phaseLines(PhaseMetricsBudgetTest.scrape(port));
      long bytesOne = String.join("\n", one).length();
      System.out.printf(
          "5,000 names in one workload: %d phase lines on /metrics (%d KB), %d series, %d"
              + " overflowed%n",
          one.size(), bytesOne >> 10, m.series(), m.overflowed());
      assertThat(m.series()).isEqualTo(257); // 256 names and _other
      assertThat(m.overflowed()).isEqualTo(5_000 - 256);
      assertThat(one.size()).isLessThanOrEqualTo(257 * PhaseMetricsBudgetTest.BUDGET);

      for (int i = 0; i < 5_000; i++) {
        m.accept(PhaseMetricsTest.phase("pod-" + i, "step", 2_000_000, values));
      }
      String scrape = PhaseMetricsBudgetTest.scrape(port);
      List<String> all = phaseLines(scrape);
      long held = liveHeap() - live0 - 2L * scrape.length();
      System.out.printf(
          "and 5,000 workloads of one name: %d phase lines (%d KB of a %d KB scrape), %d series,"
              + " %d overflowed, ~%d MB of live heap held by them%n",
          all.size(),
          String.join("\n", all).length() >> 10,
          scrape.length() >> 10,
          m.series(),
          m.overflowed(),
          held >> 20);
      int maxSeries = PhaseMetricsSettings.MAX_SERIES.defaultValue();
      assertThat(m.series()).isEqualTo(maxSeries);
      assertThat(all.size()).isLessThanOrEqualTo((maxSeries + 1) * PhaseMetricsBudgetTest.BUDGET);
      assertThat(all)
          .filteredOn(l -> l.startsWith("aiprof_phase_names_overflow"))
          .anySatisfy(l -> assertThat(l).contains("otel_metric_overflow=\"true\""));
      assertThat(m.overflowed()).isEqualTo(5_000 - 256 + 5_000 - (maxSeries - 257));
    } finally {
      e.close();
    }
  }

  private static long liveHeap() {
    System.gc();
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static List<String> phaseLines(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("aiprof_phase_")).toList();
  }
}
