package dev.aiprof.agent.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.exporters.ExporterOptions;
import dev.aiprof.exporters.Exporters;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series budget of one (workload, phase name) on {@code /metrics} with the default settings: at
 * most {@value #BUDGET}. Issue 9 measured 46 before (28 buckets a histogram, and more); this test
 * keeps it from growing back unnoticed.
 */
class PhaseMetricsBudgetTest {
  static final int BUDGET = 25;

  @TempDir Path dir;

  @Test
  void oneWorkloadsPhaseNameWithEverySixThreadTimeCategoriesStaysWithinTheBudget()
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ExporterOptions o =
        new ExporterOptions(null, true, "127.0.0.1:" + port, dir, Map.of(), "node", null, "1");
    Exporters e = Exporters.start(o, WorkloadAttributes.NONE);
    try {
      PhaseMetrics m = PhaseMetrics.create(e.meter(), Settings.defaults());
      Map<Category, Long> values = new EnumMap<>(Category.class);
      for (Category c : Category.of(Category.Kind.THREAD_TIME)) {
        values.put(c, 1_000_000L);
      }
      assertThat(values).hasSize(6);
      for (long ms : List.of(1L, 7L, 40L, 300L, 2_000L, 20_000L)) {
        m.accept(PhaseMetricsTest.phase("trainer-0", "step", ms * 1_000_000, values));
      }
      List<String> series =
          scrape(port)
              .lines()
              .filter(l -> l.startsWith("aiprof_phase_"))
              .filter(l -> l.contains("aiprof_phase_name=\"step\""))
              .toList();
      System.out.println(
          "series of one (workload, phase name): "
              + series.size()
              + "\n"
              + String.join("\n", series));
      assertThat(series)
          .filteredOn(l -> l.startsWith("aiprof_phase_duration_seconds_bucket"))
          .as("13 bounds and +Inf")
          .hasSize(14);
      assertThat(series)
          .filteredOn(l -> l.startsWith("aiprof_phase_time_seconds_total"))
          .hasSize(6);
      assertThat(series)
          .as("series of one (workload, phase name)")
          .hasSizeLessThanOrEqualTo(BUDGET);
    } finally {
      e.close();
    }
  }

  static String scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
