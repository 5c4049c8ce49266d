package dev.aiprof.collectors;

import dev.aiprof.api.Cgroups;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's pipeline with some of the collectors, for the collectors' tests: the same composition
 * {@code profile} and {@code run} use (collectors found by ServiceLoader, settings validated
 * against their declarations, the follow service, the engine), with this host's probed features and
 * a ring poller. A tap sees each phase as its source reports it; correlated phases are kept. Cgroup
 * names are not resolved here (the agent's identity does that): every cgroup counts as existing.
 */
public final class TestPipeline implements AutoCloseable {
  private static Features features;

  private final RingPoller poller;
  private final Pipeline pipeline;
  private final List<CorrelatedPhase> correlated;

  private TestPipeline(RingPoller poller, Pipeline pipeline, List<CorrelatedPhase> correlated) {
    this.poller = poller;
    this.pipeline = pipeline;
    this.correlated = correlated;
  }

  /** This host's features, probed once per test JVM. */
  public static synchronized Features features() {
    if (features == null) {
      features = new FeatureProber().probe();
    }
    return features;
  }

  /** The validated settings of every collector on the class path. */
  public static Settings settings(Map<String, String> raw) {
    List<Setting<?>> all = new ArrayList<>(CollectorCatalog.discover().settings());
    all.addAll(Pipeline.settingKeys());
    return SettingsCatalog.of(all).validate(raw);
  }

  /** Starts {@code collectors} with {@code settings}; {@code tap} sees every phase. */
  public static TestPipeline start(
      Set<String> collectors, Map<String, String> settings, PhaseListener tap) {
    return start(collectors, settings, tap, features());
  }

  public static TestPipeline start(
      Set<String> collectors, Map<String, String> settings, PhaseListener tap, Features f) {
    Settings s = settings(settings);
    RingPoller poller =
        RingPoller.start("aiprof-ring-events", Duration.ofMillis(10), Duration.ofMillis(100));
    List<CorrelatedPhase> out = Collections.synchronizedList(new ArrayList<>());
    try {
      Pipeline p =
          Pipeline.builder(CollectorCatalog.discover())
              .paths(HostPaths.defaults())
              .settings(s)
              .host(Features.class, f)
              .host(RingPoller.class, poller)
              .host(Cgroups.class, EVERY_CGROUP)
              .only(collectors)
              .tap(tap)
              .sink(out::add)
              .start();
      return new TestPipeline(poller, p, out);
    } catch (RuntimeException | Error e) {
      poller.close();
      throw e;
    }
  }

  /** Every cgroup exists; none has a name. */
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

  public Pipeline pipeline() {
    return pipeline;
  }

  /** The running collector {@code name}, as it offered itself. */
  public <T> T collector(String name, Class<T> type) {
    return pipeline
        .offered(name, type)
        .orElseThrow(() -> new AssertionError(name + " does not run: " + pipeline.statuses()));
  }

  public List<CollectorStatus> statuses() {
    return pipeline.statuses();
  }

  /** The phases the engine described so far. */
  public List<CorrelatedPhase> correlated() {
    synchronized (correlated) {
      return List.copyOf(correlated);
    }
  }

  @Override
  public void close() {
    pipeline.close();
    poller.close();
  }
}
