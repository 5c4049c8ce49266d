package dev.aiprof.collectors;

import dev.aiprof.api.Cgroups;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's pipeline with some of the collectors, for the collectors' tests: the same composition
 * {@code profile} and {@code run} use (collectors found by ServiceLoader, settings validated
 * against their declarations, the follow service, the engine), with this host's probed features and
 * a ring poller. A tap sees each phase as its source reports it; the first {@value #KEPT}
 * correlated phases are kept and every one is counted (a throughput test sends hundreds of
 * thousands). Cgroup names are not resolved here (the agent's identity does that): every cgroup
 * counts as existing, unless a test passes {@link #v2Cgroups()} (the host's v2 hierarchy, walked).
 */
public final class TestPipeline implements AutoCloseable {
  /** Correlated phases kept for assertions; the rest are only counted. */
  static final int KEPT = 10_000;

  private static Features features;

  private final RingPoller poller;
  private final Pipeline pipeline;
  private final Kept correlated;

  private TestPipeline(RingPoller poller, Pipeline pipeline, Kept correlated) {
    this.poller = poller;
    this.pipeline = pipeline;
    this.correlated = correlated;
  }

  /** The first {@link #KEPT} correlated phases, and how many there were. */
  private static final class Kept {
    private final List<CorrelatedPhase> phases = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();

    void accept(CorrelatedPhase p) {
      count.incrementAndGet();
      synchronized (phases) {
        if (phases.size() < KEPT) {
          phases.add(p);
        }
      }
    }

    List<CorrelatedPhase> copy() {
      synchronized (phases) {
        return List.copyOf(phases);
      }
    }
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
    return start(collectors, settings, tap, f, HostPaths.defaults(), new ClockSync());
  }

  /**
   * With the host's pseudo-filesystems at {@code paths} (a fixture view of /proc) and {@code clock}
   * as the pipeline's clock (the one a test converts its own wall-clock readings with).
   */
  public static TestPipeline start(
      Set<String> collectors,
      Map<String, String> settings,
      PhaseListener tap,
      HostPaths paths,
      ClockSync clock) {
    return start(collectors, settings, tap, features(), paths, clock);
  }

  /** With {@code cgroups} as the host's cgroups (e.g. {@link #v2Cgroups()}). */
  public static TestPipeline start(
      Set<String> collectors, Map<String, String> settings, PhaseListener tap, Cgroups cgroups) {
    return start(
        collectors, settings, tap, features(), HostPaths.defaults(), new ClockSync(), cgroups);
  }

  private static TestPipeline start(
      Set<String> collectors,
      Map<String, String> settings,
      PhaseListener tap,
      Features f,
      HostPaths paths,
      ClockSync clock) {
    return start(collectors, settings, tap, f, paths, clock, EVERY_CGROUP);
  }

  private static TestPipeline start(
      Set<String> collectors,
      Map<String, String> settings,
      PhaseListener tap,
      Features f,
      HostPaths paths,
      ClockSync clock,
      Cgroups cgroups) {
    Settings s = settings(settings);
    RingPoller poller =
        RingPoller.start("aiprof-ring-events", Duration.ofMillis(10), Duration.ofMillis(100));
    Kept out = new Kept();
    try {
      Pipeline p =
          Pipeline.builder(CollectorCatalog.discover())
              .paths(paths)
              .clock(clock)
              .settings(s)
              .host(Features.class, f)
              .host(RingPoller.class, poller)
              .host(Cgroups.class, cgroups)
              .only(collectors)
              .tap(tap)
              .sink(out::accept)
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

  /**
   * The host's cgroup v2 hierarchy: each {@link Cgroups#refresh} walks it for the directories'
   * inode numbers (the ids BPF reports); v1 ids are not checked. No names.
   */
  public static Cgroups v2Cgroups() {
    return new Cgroups() {
      private volatile Set<Long> ids = Set.of();

      @Override
      public Optional<String> name(long v2Id, long v1Id) {
        return Optional.empty();
      }

      @Override
      public void refresh() {
        Set<Long> found = new java.util.HashSet<>();
        walk(dev.aiprof.testing.CgroupDir.v2Root(), found);
        ids = Set.copyOf(found);
      }

      /** Every directory under {@code d}; one removed while walked is left out, not an error. */
      private void walk(java.nio.file.Path d, Set<Long> found) {
        try (var in = java.nio.file.Files.newDirectoryStream(d, java.nio.file.Files::isDirectory)) {
          found.add(((Number) java.nio.file.Files.getAttribute(d, "unix:ino")).longValue());
          for (java.nio.file.Path c : in) {
            walk(c, found);
          }
        } catch (java.io.IOException | java.nio.file.DirectoryIteratorException e) {
          // removed while walked: it does not exist
        }
      }

      @Override
      public boolean exists(long v2Id, long v1Id) {
        return ids.contains(v2Id);
      }
    };
  }

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

  /** The phases the engine described so far (the first {@value #KEPT}). */
  public List<CorrelatedPhase> correlated() {
    return correlated.copy();
  }

  /** How many phases the engine described so far. */
  public long correlatedCount() {
    return correlated.count.get();
  }

  /**
   * Waits (polling, up to {@code timeout}) until the engine described at least {@code n} phases;
   * returns those kept. The engine asked the follow service for each of their processes before.
   */
  public List<CorrelatedPhase> awaitCorrelated(int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (correlatedCount() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    if (correlatedCount() < n) {
      throw new AssertionError(
          "the engine described " + correlatedCount() + " phases within " + timeout + ", not " + n);
    }
    return correlated();
  }

  @Override
  public void close() {
    pipeline.close();
    poller.close();
  }
}
