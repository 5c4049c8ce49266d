package dev.aiprof.pipeline;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.follow.AgentTools;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.profile.StackSink;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportSink;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one composition of the agent: {@code profile}, {@code run}, {@code demo} and the tests all
 * build it here. It starts the chosen collectors in the order their declared dependencies give (by
 * name where they give none), gives each a context to take up its roles, wires what they published
 * (signals into the correlation engine, followers into the follow service, metric sources behind
 * per-collector self-metrics, report sections in order), and runs housekeeping on its own thread. A
 * collector that fails to start is recorded and skipped; one whose required collector does not run
 * is skipped with one line saying which.
 *
 * <p>Ending: {@link #finish} stops housekeeping, closes the collectors that only report phases
 * (their last phases reach the engine), lets the engine describe what is left and hands the report
 * sinks the sections; {@link #close} (idempotent) then closes every other collector, last started
 * first. Metric collection and close are serialized: a collection never meets a half-closed
 * collector. Thread-safe.
 */
public final class Pipeline implements AutoCloseable {
  public static final MetricId COLLECTOR_SUCCESS =
      MetricId.gauge(
          "aiprof.collector.success",
          "Whether the collector runs and its last collection succeeded (1) or not (0)",
          "1");
  public static final MetricId COLLECTOR_DURATION =
      MetricId.gauge(
          "aiprof.collector.duration", "How long the collector's last collection took", "s");
  public static final AttributeKey<String> COLLECTOR = AttributeKey.stringKey("aiprof.collector");

  /** The settings the pipeline itself reads. */
  public static final Setting<Integer> INBOX =
      Setting.integer(
          "correlation.inbox-size",
          65_536,
          64,
          1 << 20,
          "phases waiting for the correlation engine, and as many waiting for their signals;"
              + " more are dropped (counted)");

  public static final Setting<Long> INBOX_BYTES =
      Setting.size(
          "correlation.inbox-bytes",
          CorrelationEngine.DEFAULT_MAX_BYTES,
          1L << 20,
          1L << 30,
          "estimated heap of the phases (and their spans) waiting for the correlation engine and"
              + " for their signals; more are dropped (counted)");

  private static final System.Logger LOG = System.getLogger(Pipeline.class.getName());

  private final HostPaths paths;
  private final ClockSync clock;
  private final Settings settings;
  private final Map<Class<?>, Object> hostServices;
  private final FollowService follows;
  private final CorrelationEngine engine;
  private final Housekeeping housekeeping = new Housekeeping();
  private final List<ReportSink> reportSinks = new CopyOnWriteArrayList<>();
  private final PhaseListener phases;
  private final Map<String, Slot> slots = new LinkedHashMap<>(); // start order
  private final List<CollectorStatus> statuses = new ArrayList<>();
  private final CollectorMetrics collectorMetrics = new CollectorMetrics(System::nanoTime);
  private final Object lock = new Object();
  private boolean closed;
  private boolean finished;

  private Pipeline(Builder b) {
    this.paths = b.paths;
    this.clock = b.clock;
    this.settings = b.settings;
    b.hostServices.putIfAbsent(AgentTools.class, new AgentTools());
    this.hostServices = Map.copyOf(b.hostServices);
    this.follows = new FollowService(paths, settings.get(FollowService.MAX_PROCESSES));
    follows.tools((AgentTools) hostServices.get(AgentTools.class));
    this.engine =
        new CorrelationEngine(b.workloads, follows, clock, settings.get(INBOX))
            .maxBytes(settings.get(INBOX_BYTES));
    b.sinks.forEach(engine::addSink);
    List<PhaseListener> taps = List.copyOf(b.taps);
    this.phases =
        taps.isEmpty()
            ? engine
            : phase -> {
              for (PhaseListener t : taps) {
                t.onPhase(phase);
              }
              engine.onPhase(phase);
            };
    b.reportSinks.forEach(
        r -> {
          reportSinks.add(r);
          engine.addSink(r);
        });
  }

  public static Builder builder(CollectorCatalog catalog) {
    return new Builder(catalog);
  }

  /** Every setting the pipeline's own parts read (the collectors declare theirs). */
  public static List<Setting<?>> settingKeys() {
    return List.of(INBOX, INBOX_BYTES, FollowService.MAX_PROCESSES, FollowService.CHECK_INTERVAL);
  }

  private void start(CollectorCatalog catalog, Set<String> chosen) {
    for (CollectorProvider p : StartOrder.of(catalog)) {
      if (!chosen.contains(p.getName())) {
        statuses.add(status(p, CollectorStatus.State.DISABLED, ""));
        continue;
      }
      Optional<String> missing =
          p.requires().stream().filter(r -> !running(r)).sorted().findFirst();
      if (missing.isPresent()) {
        String why = "needs collector " + missing.get() + ", which " + whyNot(missing.get());
        LOG.log(System.Logger.Level.WARNING, "collector " + p.getName() + " is off: " + why);
        statuses.add(status(p, CollectorStatus.State.SKIPPED, why));
        continue;
      }
      Slot s = new Slot(p, this);
      try {
        s.start();
      } catch (Exception | LinkageError e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.log(System.Logger.Level.WARNING, "collector " + p.getName() + " did not start: " + why);
        statuses.add(status(p, CollectorStatus.State.FAILED, why));
        continue;
      }
      slots.put(p.getName(), s);
      statuses.add(status(p, CollectorStatus.State.RUNNING, ""));
      s.signals.forEach(engine::addSignal);
      s.followers.forEach(follows::addFollower);
    }
    engine.start();
    housekeeping.every(
        "follow", "sweep", settings.get(FollowService.CHECK_INTERVAL), follows::sweep);
  }

  private static CollectorStatus status(CollectorProvider p, CollectorStatus.State s, String why) {
    return new CollectorStatus(p.getName(), p.roles(), s, why);
  }

  private boolean running(String name) {
    return slots.containsKey(name);
  }

  private String whyNot(String name) {
    return statuses.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .map(
            s ->
                switch (s.state()) {
                  case DISABLED -> "is disabled";
                  case FAILED -> "did not start (" + s.detail() + ")";
                  case SKIPPED -> "is off (" + s.detail() + ")";
                  case RUNNING -> "runs";
                })
        .orElse("this agent does not have");
  }

  HostPaths paths() {
    return paths;
  }

  ClockSync clock() {
    return clock;
  }

  Settings settings() {
    return settings;
  }

  Housekeeping housekeeping() {
    return housekeeping;
  }

  <T> T host(Class<T> type) {
    Object o = hostServices.get(type);
    if (o == null) {
      throw new IllegalStateException("this agent offers no " + type.getSimpleName());
    }
    return type.cast(o);
  }

  /** What collector {@code name} offered as {@code type}, if it runs and offered one. */
  public <T> Optional<T> offered(String name, Class<T> type) {
    Slot s = slots.get(name);
    return s == null ? Optional.empty() : Optional.ofNullable(type.cast(s.offered.get(type)));
  }

  /** Where phase sources report: the engine, behind the taps. */
  PhaseListener phases() {
    return phases;
  }

  StackSink stackSink() {
    return sample -> {
      for (ReportSink r : reportSinks) {
        try {
          r.onStack(sample);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.DEBUG, "report sink failed on a stack: " + e);
        }
      }
    };
  }

  /** The follow service. */
  public Follows follows() {
    return follows;
  }

  /** The correlation engine (its counters; tests hand it phases). */
  public CorrelationEngine engine() {
    return engine;
  }

  /** Every collector of the catalog, in start order: running, disabled, failed or skipped. */
  public List<CollectorStatus> statuses() {
    return List.copyOf(statuses);
  }

  /** The running collectors' report sections, in their order (by collector name on ties). */
  public List<ReportSection> sections() {
    List<Map.Entry<String, ReportSection>> all = new ArrayList<>();
    slots.forEach((n, s) -> s.sections.forEach(r -> all.add(Map.entry(n, r))));
    all.sort(
        Comparator.comparingInt((Map.Entry<String, ReportSection> e) -> e.getValue().order())
            .thenComparing(Map.Entry::getKey));
    return all.stream().map(Map.Entry::getValue).toList();
  }

  /**
   * Everything the pipeline reports: each running collector's metrics behind its self-metrics,
   * {@code aiprof.collector.success = 0} for a collector that failed or was skipped, the engine's,
   * the follow service's and housekeeping's counters.
   */
  public MetricSource metrics() {
    return this::collect;
  }

  private void collect(MetricSink sink) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (Slot s : slots.values()) {
        if (!s.closed) {
          collectorMetrics.collect(s.name(), s.metrics, sink);
        }
      }
      for (CollectorStatus st : statuses) {
        if (st.state() == CollectorStatus.State.FAILED
            || st.state() == CollectorStatus.State.SKIPPED) {
          sink.gauge(COLLECTOR_SUCCESS, Attributes.of(COLLECTOR, st.name()), 0);
        }
      }
      engine.collect(sink);
      follows.collect(sink);
      housekeeping.collect(sink);
    }
  }

  /**
   * Series each running collector's metric sources reported at the latest collection, by collector
   * (a collector without a metric source reports none).
   */
  public Map<String, Integer> lastSeries() {
    return collectorMetrics.lastSeries();
  }

  /** Names of supervised threads that are not running (empty when healthy). */
  public List<String> deadThreads() {
    List<String> dead = new ArrayList<>();
    if (!engine.alive()) {
      dead.add("aiprof-correlation");
    }
    if (!housekeeping.alive()) {
      dead.add("aiprof-housekeeping");
    }
    return dead;
  }

  /**
   * Ends the run's phases: housekeeping stops, collectors that only report phases close (their last
   * phases reach the engine), the engine describes everything still waiting, and every report sink
   * gets the sections, which the still-open signal collectors render. Idempotent; {@link #close}
   * does it first if it was not done.
   */
  public void finish() {
    List<Slot> reverse;
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
      reverse = new ArrayList<>(slots.values()).reversed();
    }
    housekeeping.close();
    for (Slot s : reverse) {
      if (s.roles().contains(Role.PHASE_SOURCE) && !s.roles().contains(Role.PHASE_SIGNAL)) {
        closeQuietly(s);
      }
    }
    engine.close();
    List<ReportSection> sections = sections();
    for (ReportSink r : reportSinks) {
      try {
        r.finish(sections);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "report failed: " + e);
      }
    }
  }

  @Override
  public void close() {
    finish();
    List<Slot> reverse;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      reverse = new ArrayList<>(slots.values()).reversed();
    }
    for (Slot s : reverse) {
      if (!s.roles().contains(Role.PHASE_SOURCE) || s.roles().contains(Role.PHASE_SIGNAL)) {
        closeQuietly(s);
      }
    }
  }

  /** Closes one collector, never during a metric collection. */
  private void closeQuietly(Slot s) {
    housekeeping.cancel(s.name());
    synchronized (lock) {
      s.closed = true;
      try {
        s.collector.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing collector " + s.name() + ": " + e);
      }
    }
  }

  /** Configures a pipeline. Not thread-safe. */
  public static final class Builder {
    private final CollectorCatalog catalog;
    private HostPaths paths = HostPaths.defaults();
    private ClockSync clock = new ClockSync();
    private Settings settings = Settings.defaults();
    private final Map<Class<?>, Object> hostServices = new HashMap<>();
    private CollectorChoice choice = CollectorChoice.DEFAULTS;
    private WorkloadLookup workloads = pid -> Attributes.empty();
    private final List<CorrelatedPhaseSink> sinks = new ArrayList<>();
    private final List<ReportSink> reportSinks = new ArrayList<>();
    private final List<PhaseListener> taps = new ArrayList<>();

    private Builder(CollectorCatalog catalog) {
      this.catalog = catalog;
    }

    public Builder paths(HostPaths p) {
      this.paths = p;
      return this;
    }

    public Builder clock(ClockSync c) {
      this.clock = c;
      return this;
    }

    /** The clock the pipeline will convert with (the one sinks should use too). */
    public ClockSync clock() {
      return clock;
    }

    /** Validated settings (every key of the agent's catalog). */
    public Builder settings(Settings s) {
      this.settings = s;
      return this;
    }

    /** A host service collectors may ask for ({@code CollectorContext.host}). */
    public <T> Builder host(Class<T> type, T service) {
      hostServices.put(type, service);
      return this;
    }

    /** Which collectors run (default: every collector on by default). */
    public Builder choose(CollectorChoice c) {
      this.choice = c;
      return this;
    }

    /** Run only these collectors. */
    public Builder only(Set<String> names) {
      return choose(CollectorChoice.only(names));
    }

    public Builder workloads(WorkloadLookup w) {
      this.workloads = w;
      return this;
    }

    /** Where correlated phases go (spans, phase metrics). */
    public Builder sink(CorrelatedPhaseSink s) {
      sinks.add(s);
      return this;
    }

    /**
     * Sees every phase as its source reports it, on the source's thread, before the engine does (a
     * raw trace of phases; tests). Must be quick and must not throw.
     */
    public Builder tap(PhaseListener tap) {
      taps.add(tap);
      return this;
    }

    /** A report: gets phases, stacks, and the sections at the end. */
    public Builder report(ReportSink r) {
      reportSinks.add(r);
      return this;
    }

    /**
     * Starts the collectors, the engine and housekeeping.
     *
     * @throws IllegalArgumentException on an unknown collector name or a dependency cycle
     */
    public Pipeline start() {
      Set<String> chosen = catalog.select(choice);
      Pipeline p = new Pipeline(this);
      try {
        p.start(catalog, chosen);
      } catch (RuntimeException | Error e) {
        p.close();
        throw e;
      }
      return p;
    }
  }
}
