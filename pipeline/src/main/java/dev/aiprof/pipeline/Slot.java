package dev.aiprof.pipeline;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.follow.ProcessFollower;
import dev.aiprof.api.metrics.MetricSource;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.profile.StackSink;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.settings.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One collector in a {@link Pipeline}: its provider, the instance, and what it took up at start
 * (its signals, metric sources, followers, sections, offered services). Its context checks every
 * role against the provider's declaration. Started and closed by the pipeline's thread; the
 * published lists are read after start.
 */
final class Slot implements CollectorContext {
  final CollectorProvider provider;
  final Collector collector;
  private final Pipeline pipeline;
  final List<PhaseSignal> signals = new ArrayList<>();
  final List<MetricSource> metrics = new ArrayList<>();
  final List<ProcessFollower> followers = new ArrayList<>();
  final List<ReportSection> sections = new ArrayList<>();
  final Map<Class<?>, Object> offered = new HashMap<>();
  private boolean starting;
  boolean closed; // guarded by the pipeline's lock
  CollectorStatus status;

  Slot(CollectorProvider provider, Pipeline pipeline) {
    this.provider = provider;
    this.pipeline = pipeline;
    this.collector = provider.create();
  }

  @Override
  public String name() {
    return provider.getName();
  }

  Set<Role> roles() {
    return provider.roles();
  }

  /** Starts the collector; on failure everything it took up is dropped and it is closed. */
  void start() throws Exception {
    starting = true;
    try {
      collector.start(this);
    } catch (Exception | LinkageError e) {
      signals.clear();
      metrics.clear();
      followers.clear();
      sections.clear();
      offered.clear();
      pipeline.housekeeping().cancel(name());
      collector.close();
      throw e;
    } finally {
      starting = false;
    }
  }

  private void declared(Role role, String what) {
    if (!provider.roles().contains(role)) {
      throw new IllegalStateException(
          "collector " + name() + " " + what + " but does not declare the role " + role);
    }
  }

  private void take(Role role, String what) {
    declared(role, what);
    if (!starting) {
      throw new IllegalStateException("collector " + name() + " " + what + " after its start");
    }
  }

  @Override
  public HostPaths paths() {
    return pipeline.paths();
  }

  @Override
  public ClockSync clock() {
    return pipeline.clock();
  }

  @Override
  public Settings settings() {
    return pipeline.settings();
  }

  @Override
  public <T> T host(Class<T> type) {
    return pipeline.host(type);
  }

  @Override
  public <T> Optional<T> dependency(String collectorName, Class<T> type) {
    if (!provider.requires().contains(collectorName) && !provider.uses().contains(collectorName)) {
      throw new IllegalStateException(
          "collector " + name() + " asks for " + collectorName + " without depending on it");
    }
    return pipeline.offered(collectorName, type);
  }

  @Override
  public <T> void offer(Class<T> type, T service) {
    offered.put(type, type.cast(service));
  }

  @Override
  public PhaseListener phases() {
    declared(Role.PHASE_SOURCE, "reports phases");
    return pipeline.phases();
  }

  @Override
  public StackSink stacks() {
    declared(Role.STACK_SOURCE, "reports stacks");
    return pipeline.stackSink();
  }

  @Override
  public Follows follows() {
    return pipeline.follows();
  }

  @Override
  public void signal(PhaseSignal signal) {
    take(Role.PHASE_SIGNAL, "publishes a phase signal");
    signals.add(signal);
  }

  @Override
  public void metrics(MetricSource source) {
    take(Role.METRIC_SOURCE, "publishes metrics");
    metrics.add(source);
  }

  @Override
  public void follower(ProcessFollower follower) {
    take(Role.PROCESS_FOLLOWER, "publishes a process follower");
    followers.add(follower);
  }

  @Override
  public void report(ReportSection section) {
    take(Role.REPORT_SECTION, "publishes a report section");
    sections.add(section);
  }

  @Override
  public void every(String task, Duration interval, Runnable run) {
    pipeline.housekeeping().every(name(), task, interval, run);
  }
}
