package dev.aiprof.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.compose.AgentHost;
import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.category.Category;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import dev.aiprof.testing.FakeNvml;
import dev.aiprof.testing.Libc;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.SteppedPhases;
import dev.aiprof.testing.WorkloadProcess;
import dev.aiprof.testing.backends.Await;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a workload marks two phases through libaiprof.so; the agent's pipeline (sched, marker
 * and nvml collectors, NVML from the fake library on a dgxh100 system) describes them. The fake's
 * script puts the workload's pid on GPU 3 throughout and raises GPU 3's utilisation during the
 * first phase only: that phase gets GPU 3's utilisation and GPU busy time, the other does not.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class GpuPhasesIT {
  private static final AttributeKey<String> HW_ID = AttributeKey.stringKey("hw.id");
  private static final AttributeKey<Long> INDEX = AttributeKey.longKey("aiprof.gpu.index");
  private static final AttributeKey<Double> UTIL = AttributeKey.doubleKey("aiprof.gpu.utilization");
  private static final AttributeKey<List<String>> DEVICES =
      AttributeKey.stringArrayKey("aiprof.gpu.devices");

  @TempDir Path tmp;
  private final List<CorrelatedPhase> out = Collections.synchronizedList(new ArrayList<>());

  @Test
  void theBusyPhaseGetsTheDevicesUtilisationAndTheOtherDoesNot() throws Exception {
    Path lib = markerLibrary();
    Path script = tmp.resolve("nvml-script");
    try (WorkloadProcess w =
        WorkloadProcess.start(null, SteppedPhases.class, lib.toString(), "train", "eval")) {
      int pid = (int) w.pid();
      write(script, pid, 0);
      Libc.setenv(FakeNvml.SYSTEM_ENV, "dgxh100");
      Libc.setenv(FakeNvml.SCRIPT_ENV, script.toString());
      Map<String, String> settings =
          Map.of(
              "identity.source",
              "none",
              "marker.libraries",
              lib.toString(),
              "nvml.library",
              FakeNvml.current().resolve("libnvidia-ml.so.1").toString(),
              "nvml.interval",
              "100ms");
      CollectorCatalog catalog = CollectorCatalog.discover();
      Settings s = AgentSettings.catalog(catalog).validate(settings);
      try (AgentHost host =
              AgentHost.open(HostPaths.defaults(), Path.of("/sys/kernel/btf/vmlinux"), s);
          Pipeline p =
              host.pipeline(catalog, s)
                  .only(Set.of("sched", "marker", "nvml"))
                  .sink(out::add)
                  .start()) {
        assertThat(p.statuses())
            .filteredOn(st -> Set.of("sched", "marker", "nvml").contains(st.name()))
            .allMatch(CollectorStatus::running, "running");
        String gpu3 = uuidOf(p, 3);

        w.send("go");
        assertThat(w.readLine()).isEqualTo("in train");
        write(script, pid, 90);
        awaitSamples(p, gpu3, 0.9, 8);
        w.send("next");
        assertThat(w.readLine()).isEqualTo("in eval");
        write(script, pid, 0);
        awaitSamples(p, gpu3, 0.0, 8);
        w.send("next");
        assertThat(w.readLine()).isEqualTo("done");

        CorrelatedPhase train = phase("train", pid);
        CorrelatedPhase eval = phase("eval", pid);
        for (CorrelatedPhase c : List.of(train, eval)) {
          System.out.printf(
              "phase %s %.0f ms: %s GPU busy %.0f ms%n",
              c.phase().name(),
              c.phase().durationNs() / 1e6,
              c.attributes(),
              c.value(Category.GPU_BUSY) / 1e6);
        }
        assertThat(train.attributes().get(DEVICES))
            .as("%s", train.attributes())
            .containsExactly(gpu3);
        assertThat(train.attributes().get(UTIL)).isGreaterThan(0.6);
        assertThat(train.value(Category.GPU_BUSY))
            .isGreaterThan((long) (0.6 * train.phase().durationNs()));
        assertThat(eval.attributes().get(DEVICES)).containsExactly(gpu3);
        assertThat(eval.attributes().get(UTIL)).as("%s", eval.attributes()).isLessThan(0.3);
        assertThat(eval.value(Category.GPU_BUSY))
            .isLessThan((long) (0.3 * eval.phase().durationNs()));
        assertThat(train.late()).isEmpty();
        assertThat(eval.late()).isEmpty();
      }
    } finally {
      Libc.setenv(FakeNvml.SCRIPT_ENV, null);
    }
  }

  private static void write(Path script, int pid, int util) throws Exception {
    Path next = script.resolveSibling("nvml-script.new");
    Files.writeString(next, "util 3 " + util + "\nproc 3 " + pid + " 2048 " + util + " 10\n");
    Files.move(
        next,
        script,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private CorrelatedPhase phase(String name, int pid) throws InterruptedException {
    return Await.until(
        "phase " + name,
        Duration.ofSeconds(15),
        Duration.ofMillis(50),
        () -> {
          synchronized (out) {
            return out.stream()
                .filter(c -> c.phase().name().equals(name) && c.phase().pid() == pid)
                .findFirst()
                .orElse(null);
          }
        });
  }

  /** Waits until GPU {@code uuid} showed {@code util} in {@code n} samples in a row. */
  private static void awaitSamples(Pipeline p, String uuid, double util, int n)
      throws InterruptedException {
    double[] first = {-1};
    Await.until(
        n + " samples at " + util,
        Duration.ofSeconds(15),
        Duration.ofMillis(20),
        () -> {
          double[] v = read(p, uuid);
          if (v[0] != util) {
            first[0] = -1;
            return null;
          }
          if (first[0] < 0) {
            first[0] = v[1];
          }
          return v[1] - first[0] >= n ? true : null;
        });
  }

  /** GPU {@code uuid}'s utilisation and sample count now. */
  private static double[] read(Pipeline p, String uuid) {
    double[] v = {Double.NaN, 0};
    p.metrics()
        .collect(
            new Sink() {
              @Override
              public void gauge(MetricId m, Attributes a, double value) {
                if (m.name().equals("hw.gpu.utilization") && uuid.equals(a.get(HW_ID))) {
                  v[0] = value;
                }
              }

              @Override
              public void counter(MetricId m, Attributes a, double value) {
                if (m.name().equals("aiprof.gpu.samples") && uuid.equals(a.get(HW_ID))) {
                  v[1] = value;
                }
              }
            });
    return v;
  }

  private static String uuidOf(Pipeline p, int index) throws InterruptedException {
    AtomicReference<String> id = new AtomicReference<>();
    Await.until(
        "GPU " + index,
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        () -> {
          p.metrics()
              .collect(
                  new Sink() {
                    @Override
                    public void gauge(MetricId m, Attributes a, double value) {
                      Long i = a.get(INDEX);
                      if (i != null && i == index && a.get(HW_ID) != null) {
                        id.set(a.get(HW_ID));
                      }
                    }
                  });
          return id.get();
        });
    return id.get();
  }

  private static Path markerLibrary() {
    Path lib = FakeNvml.root().resolve("marker/target/libaiprof.so");
    assertThat(lib).as("build the marker module (mvn -pl marker)").exists();
    return lib;
  }

  private abstract static class Sink implements MetricSink {
    @Override
    public void counter(MetricId m, Attributes a, double v) {}

    @Override
    public void gauge(MetricId m, Attributes a, double v) {}

    @Override
    public void histogram(MetricId m, Attributes a, Log2Histogram h, long s) {}
  }
}
