package dev.aiprof.custom.usdt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import io.opentelemetry.api.common.Attributes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The usdt collector end to end through the agent's pipeline: the sys/sdt.h fixture (probes
 * aiprof_test:tick, two sites, and aiprof_test:guarded, fired only while its semaphore is raised)
 * runs twice; {@code usdt.probes} names guarded in the binary (every process) and tick in the first
 * process only. Each process's hits come back exactly, with its pid and cgroup ids (the workload),
 * and tick is not counted in the other process.
 */
@Requires(
    root = true,
    tools = "gcc",
    files = {"/usr/include/x86_64-linux-gnu/sys/sdt.h"})
@NoBpfLeaks
class UsdtCollectorIT {
  @Test
  void countsEachConfiguredProbePerProcessWithItsWorkload() throws Exception {
    Path bin = fixture();
    Fixture a = new Fixture(bin, 1001);
    Fixture b = new Fixture(bin, 7);
    try (a;
        b;
        Pipeline p =
            start(
                Map.of(
                    "usdt.probes",
                    bin + ":aiprof_test:guarded,pid=" + a.pid() + ":aiprof_test:tick"))) {
      assertThat(p.statuses())
          .filteredOn(st -> st.name().equals(UsdtProvider.NAME))
          .extracting(CollectorStatus::state)
          .containsExactly(CollectorStatus.State.RUNNING);
      a.go();
      b.go();
      Map<String, Double> hits = hits(p);
      assertThat(hits)
          .containsEntry("guarded " + a.pid(), 1001.0)
          .containsEntry("tick " + a.pid(), 1001.0)
          .containsEntry("guarded " + b.pid(), 7.0)
          .doesNotContainKey("tick " + b.pid());
      List<Attributes> series = series(p);
      assertThat(series)
          .allSatisfy(
              s -> {
                assertThat(s.get(Identity.CGROUP_ID)).as("the process's cgroup").isPositive();
                assertThat(s.get(UsdtCollector.BINARY)).isEqualTo(bin.toString());
              });
    }
  }

  /** Hits by "name pid". */
  private static Map<String, Double> hits(Pipeline p) {
    Map<String, Double> out = new HashMap<>();
    collect(p, (a, v) -> out.put(a.get(UsdtCollector.NAME) + " " + a.get(Identity.PID), v));
    return out;
  }

  private static List<Attributes> series(Pipeline p) {
    List<Attributes> out = new ArrayList<>();
    collect(p, (a, v) -> out.add(a));
    return out;
  }

  private static void collect(Pipeline p, java.util.function.BiConsumer<Attributes, Double> hit) {
    p.metrics()
        .collect(
            new MetricSink() {
              @Override
              public void counter(MetricId m, Attributes a, double c) {
                if (m.equals(UsdtCollector.HITS)) {
                  hit.accept(a, c);
                }
              }

              @Override
              public void gauge(MetricId m, Attributes a, double g) {}

              @Override
              public void histogram(MetricId m, Attributes a, Log2Histogram h, long s) {}
            });
  }

  private static Pipeline start(Map<String, String> raw) {
    List<Setting<?>> all = new ArrayList<>(CollectorCatalog.discover().settings());
    all.addAll(Pipeline.settingKeys());
    Settings s = SettingsCatalog.of(all).validate(raw);
    return Pipeline.builder(CollectorCatalog.discover())
        .settings(s)
        .only(Set.of(UsdtProvider.NAME))
        .start();
  }

  private static synchronized Path fixture() throws Exception {
    Path out = Path.of("target", "test-c", "usdt_probes-collector").toAbsolutePath();
    if (!Files.exists(out)) {
      Files.createDirectories(out.getParent());
      Process gcc =
          new ProcessBuilder("gcc", "-O1", "-o", out.toString(), "src/test/c/usdt_probes.c")
              .inheritIO()
              .start();
      assertThat(gcc.waitFor()).isZero();
    }
    return out;
  }

  /** One run of the fixture: started, waiting for "go". */
  private static final class Fixture implements AutoCloseable {
    private final Process p;
    private final BufferedReader out;
    private final int n;

    Fixture(Path bin, int n) throws Exception {
      this.n = n;
      p = new ProcessBuilder(bin.toString(), Integer.toString(n)).start();
      out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("ready");
    }

    long pid() {
      return p.pid();
    }

    /** Fires the probes and waits until the fixture says it has. */
    void go() throws Exception {
      p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      // guarded fired only because the attached counter raised its semaphore
      assertThat(out.readLine()).isEqualTo("done " + n);
    }

    @Override
    public void close() throws Exception {
      p.destroyForcibly().waitFor();
    }
  }
}
