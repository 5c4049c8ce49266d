package dev.aiprof.gpu.cuda;

import dev.aiprof.api.Cgroups;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.Pipeline;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The agent's one pipeline composition with some collectors (found by ServiceLoader, settings
 * validated against their declarations), this host's probed features and a ring poller, for the
 * cuda collector's tests. Keeps every correlated phase. Cgroup names are not resolved.
 */
final class CudaPipeline implements AutoCloseable {
  private static Features features;
  private final RingPoller poller;
  private final Pipeline pipeline;
  private final List<CorrelatedPhase> phases = new ArrayList<>();

  /** One reported metric value. */
  record Point(MetricId metric, Attributes attributes, double value, Log2Histogram histogram) {}

  private CudaPipeline(Set<String> collectors, Map<String, String> settings) {
    List<Setting<?>> all = new ArrayList<>(CollectorCatalog.discover().settings());
    all.addAll(Pipeline.settingKeys());
    poller = RingPoller.start("aiprof-ring-events", Duration.ofMillis(10), Duration.ofMillis(100));
    try {
      pipeline =
          Pipeline.builder(CollectorCatalog.discover())
              .paths(HostPaths.defaults())
              .clock(new ClockSync())
              .settings(SettingsCatalog.of(all).validate(settings))
              .host(Features.class, features())
              .host(RingPoller.class, poller)
              .host(Cgroups.class, EVERY_CGROUP)
              .only(collectors)
              .sink(this::accept)
              .start();
    } catch (RuntimeException | Error e) {
      poller.close();
      throw e;
    }
  }

  static CudaPipeline start(Set<String> collectors, Map<String, String> settings) {
    return new CudaPipeline(collectors, settings);
  }

  private static synchronized Features features() {
    if (features == null) {
      features = new FeatureProber().probe();
    }
    return features;
  }

  private void accept(CorrelatedPhase p) {
    synchronized (phases) {
      phases.add(p);
    }
  }

  CudaCollector cuda() {
    return pipeline
        .offered(CudaProvider.NAME, CudaCollector.class)
        .orElseThrow(() -> new AssertionError("cuda does not run: " + pipeline.statuses()));
  }

  /** What collector {@code name} offered as {@code type}. */
  <T> T offered(String name, Class<T> type) {
    return pipeline
        .offered(name, type)
        .orElseThrow(() -> new AssertionError(name + " does not run: " + pipeline.statuses()));
  }

  /** Waits (polling) for {@code n} correlated phases that match {@code which}. */
  List<CorrelatedPhase> awaitPhases(Predicate<CorrelatedPhase> which, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<CorrelatedPhase> got;
      synchronized (phases) {
        got = phases.stream().filter(which).toList();
      }
      if (got.size() >= n || System.nanoTime() > deadline) {
        return got;
      }
      Thread.sleep(20);
    }
  }

  /** One collection of every collector's metrics. */
  List<Point> metrics() {
    List<Point> out = new ArrayList<>();
    pipeline
        .metrics()
        .collect(
            new MetricSink() {
              @Override
              public void counter(MetricId m, Attributes a, double v) {
                out.add(new Point(m, a, v, null));
              }

              @Override
              public void gauge(MetricId m, Attributes a, double v) {
                out.add(new Point(m, a, v, null));
              }

              @Override
              public void histogram(MetricId m, Attributes a, Log2Histogram h, long sum) {
                out.add(new Point(m, a, sum, h));
              }
            });
    return out;
  }

  private static final Cgroups EVERY_CGROUP =
      new Cgroups() {
        @Override
        public Optional<String> name(long v2Id, long v1Id) {
          return Optional.empty();
        }

        @Override
        public void refresh() {}

        @Override
        public boolean exists(long v2Id, long v1Id) {
          return true;
        }
      };

  @Override
  public void close() {
    pipeline.close();
    poller.close();
  }
}
