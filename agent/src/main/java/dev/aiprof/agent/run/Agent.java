package dev.aiprof.agent.run;

import dev.aiprof.agent.correlation.PhaseMetrics;
import dev.aiprof.agent.correlation.PhaseSession;
import dev.aiprof.agent.correlation.ProcessFollower;
import dev.aiprof.agent.identity.CgroupMounts;
import dev.aiprof.agent.identity.IdentitySettings;
import dev.aiprof.agent.identity.WorkloadResolver;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.CollectorRegistry;
import dev.aiprof.collectors.CollectorRunner;
import dev.aiprof.collectors.phase.SignalProvider;
import dev.aiprof.collectors.sched.SchedCollector;
import dev.aiprof.exporters.Exporters;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The long-running agent of {@code aiprof run}. Starting it probes the host's features, starts the
 * exporters, then every registered collector that can run here: collectors that describe phases
 * ({@link SignalProvider}s: the scheduler's, later I/O, CUDA) first, then the others, which are the
 * phase sources, under a {@link PhaseSession} whose engine uses every running signal and follows
 * processes through the scheduler collector. A collector that cannot start is logged and skipped.
 * Metrics of all of them, the engine, the phase metrics and the exporters themselves go to the
 * exporters' bridge; correlated phases become spans ({@link PhaseSpans}).
 *
 * <p>Closing (idempotent) stops the phase sources, flushes the engine, exports queued spans and a
 * last metric collection, shuts the exporters down, and then closes the collectors (every BPF
 * program detached). Metric collection and closing are serialized on one lock, so a scrape never
 * meets a half-closed collector. Thread-safe.
 */
public final class Agent implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Agent.class.getName());

  private final Object lock = new Object();
  private final Exporters exporters;
  private final CollectorRunner signalCollectors;
  private final PhaseSession session;
  private final WorkloadResolver identity;
  private final List<CollectorRunner.Status> statuses;
  private final Duration flushTimeout;
  private boolean closed;

  private Agent(
      Exporters exporters,
      CollectorRunner signalCollectors,
      PhaseSession session,
      WorkloadResolver identity,
      List<CollectorRunner.Status> statuses,
      Duration flushTimeout) {
    this.exporters = exporters;
    this.signalCollectors = signalCollectors;
    this.session = session;
    this.identity = identity;
    this.statuses = statuses;
    this.flushTimeout = flushTimeout;
  }

  /**
   * Starts everything.
   *
   * @throws IllegalArgumentException on an unknown collector name or a bad flag value
   * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException on a bad {@code OTEL_*}
   *     setting
   */
  public static Agent start(RunOptions o) {
    List<Collector> all = collectors(o);
    CgroupMounts mounts = CgroupMounts.read(o.paths().proc("self", "mountinfo"));
    WorkloadResolver identity =
        WorkloadResolver.create(IdentitySettings.parse(o.settings()), o.paths(), mounts);
    CgroupWorkloads paths = new CgroupWorkloads(mounts);
    // Metric series: the cgroup's path plus whatever the resolver knows (pod, container, unit).
    WorkloadAttributes workloads =
        (v2, v1) ->
            paths.of(v2, v1).toBuilder()
                .putAll(identity.resolveCgroup(v2, v1).attributes())
                .build();
    Exporters exporters;
    try {
      exporters = Exporters.start(o.export(), workloads);
    } catch (RuntimeException | Error e) {
      identity.close();
      throw e;
    }
    try {
      return wire(o, all, exporters, identity);
    } catch (RuntimeException | Error e) {
      exporters.close(Duration.ofSeconds(2));
      identity.close();
      throw e;
    }
  }

  private static Agent wire(
      RunOptions o, List<Collector> all, Exporters exporters, WorkloadResolver identity) {
    Features features = new FeatureProber(o.btf()).probe();
    ClockSync clock = new ClockSync();
    CollectorContext ctx =
        new CollectorContext(
            features, o.paths(), o.settings(), Duration.ofSeconds(10), PhaseListener.NONE, clock);
    List<Collector> signalSide = all.stream().filter(c -> c instanceof SignalProvider).toList();
    List<Collector> sources = all.stream().filter(c -> !(c instanceof SignalProvider)).toList();
    CollectorRunner signalRunner = new CollectorRunner(signalSide);
    List<CollectorRunner.Status> statuses = new ArrayList<>(signalRunner.start(ctx));
    List<PhaseSignal> signals = new ArrayList<>();
    for (Collector c : signalSide) {
      if (c instanceof SignalProvider p && running(statuses, c)) {
        signals.addAll(p.signals());
      }
    }
    Optional<SchedCollector> sched = signalRunner.find(SchedCollector.class);
    ProcessFollower follower = sched.map(PhaseSession::follower).orElse(ProcessFollower.NONE);
    sched.ifPresent(s -> PhaseSession.connect(s, sources));
    PhaseMetrics phaseMetrics = new PhaseMetrics();
    List<CorrelatedPhaseSink> sinks = new ArrayList<>(List.of(phaseMetrics));
    if (exporters.spans().isPresent()) {
      InstrumentationScopeInfo scope =
          InstrumentationScopeInfo.builder(Exporters.SCOPE)
              .setVersion(o.export().version())
              .build();
      sinks.add(new PhaseSpans(exporters::offer, clock, scope));
    }
    PhaseSession session =
        new PhaseSession(
            signals, follower, sources, ctx, pid -> identity.resolve(pid).attributes(), sinks);
    statuses.addAll(session.sources());
    Agent agent =
        new Agent(exporters, signalRunner, session, identity, statuses, Duration.ofSeconds(10));
    for (int pid : o.followPids()) {
      if (sched.isEmpty()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "--follow-pid " + pid + " ignored: the sched" + " collector is not running");
      }
      session.engine().onProcess(pid);
    }
    exporters
        .metrics()
        .addSource(agent.guarded(signalRunner::collect))
        .addSource(agent.guarded(session::collect))
        .addSource(agent.guarded(phaseMetrics::collect));
    return agent;
  }

  private static List<Collector> collectors(RunOptions o) {
    CollectorRegistry registry = CollectorRegistry.standard();
    Set<String> disable = new HashSet<>(o.disable());
    if (!o.only().isEmpty()) {
      for (CollectorRegistry.Entry e : registry.entries()) {
        if (!o.only().contains(e.name())) {
          disable.add(e.name());
        }
      }
    }
    Set<String> enable = new HashSet<>(o.only());
    enable.removeAll(disable);
    for (String d : o.disable()) {
      if (o.only().contains(d)) {
        throw new IllegalArgumentException(
            "collector '"
                + d
                + "' is both in --collectors and in"
                + " --disable: name it in one of them");
      }
    }
    return registry.create(enable, disable);
  }

  private static boolean running(List<CollectorRunner.Status> statuses, Collector c) {
    return statuses.stream().anyMatch(s -> s.name().equals(c.name()) && s.running());
  }

  private MetricSource guarded(MetricSource s) {
    return new MetricSource() {
      @Override
      public void collect(MetricSink sink) {
        synchronized (lock) {
          s.collect(sink);
        }
      }

      @Override
      public String toString() {
        return s.toString();
      }
    };
  }

  /** Every collector and phase source, running or not (with why). */
  public List<CollectorRunner.Status> statuses() {
    return List.copyOf(statuses);
  }

  /** The exporters (span queue, bridge, chosen exporters). */
  public Exporters exporters() {
    return exporters;
  }

  /** Counters worth a last log line: phases described and spans dropped. */
  public Map<String, Long> summary() {
    return Map.of(
        "phases", session.engine().described(),
        "spans.dropped", exporters.spans().map(q -> q.dropped()).orElse(0L),
        "spans.exported", exporters.spans().map(q -> q.exported()).orElse(0L));
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      session.close();
    }
    exporters.close(flushTimeout);
    synchronized (lock) {
      signalCollectors.close();
      identity.close();
    }
  }
}
