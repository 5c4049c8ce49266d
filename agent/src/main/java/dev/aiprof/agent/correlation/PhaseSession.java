package dev.aiprof.agent.correlation;

import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.CollectorRunner;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.sched.SchedCollector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The correlation engine and the phase sources, wired together: the sources report to the engine
 * (their context's phase listener), the engine describes each phase with the given signals and
 * follows the processes the sources see. Sources run under a {@link CollectorRunner}: one that
 * cannot start is reported and skipped, and each reports its health. Used by {@code aiprof profile}
 * for a window and by {@code aiprof run} until it is stopped.
 *
 * <p>Lifecycle: the constructor starts everything; {@link #close} stops the sources first, then
 * flushes the engine (every waiting phase goes to the sinks). The signals' collectors must stay
 * open until then. {@link #collect} and {@link #close} must not run at the same time.
 */
public final class PhaseSession implements AutoCloseable {
  private final CorrelationEngine engine;
  private final CollectorRunner sources;
  private final List<String> notStarted = new ArrayList<>();

  /**
   * @param signals what describes phases (every running collector's {@code SignalProvider})
   * @param follower starts recording a process's scheduler timeline (the sched collector's)
   * @param phaseSources collectors that report phases; started here
   * @param base the context the sources start with (its phase listener is replaced)
   */
  public PhaseSession(
      List<PhaseSignal> signals,
      ProcessFollower follower,
      List<Collector> phaseSources,
      CollectorContext base,
      WorkloadLookup workloads,
      List<CorrelatedPhaseSink> sinks) {
    this.engine =
        new CorrelationEngine(
            signals, workloads, follower, base.clock(), 65_536, Duration.ofSeconds(5));
    sinks.forEach(engine::addSink);
    engine.start();
    CollectorContext ctx =
        new CollectorContext(
            base.features(), base.paths(), base.settings(), base.interval(), engine, base.clock());
    this.sources = new CollectorRunner(phaseSources);
    for (CollectorRunner.Status s : sources.start(ctx)) {
      if (!s.running()) {
        notStarted.add(s.name() + ": " + s.error());
      }
    }
  }

  /**
   * The follower for a running scheduler collector: user-space follows, and the times from which
   * the kernel has followed a process already (the marker probe's first call).
   */
  public static ProcessFollower follower(SchedCollector sched) {
    return new ProcessFollower() {
      @Override
      public void follow(int pid) {
        sched.follow(pid);
      }

      @Override
      public void followedSince(int pid, long sinceNs) {
        sched.followedSince(pid, sinceNs);
      }
    };
  }

  /**
   * Connects phase sources that follow processes inside the kernel (the marker probe) to the
   * scheduler probe; call before the session starts them.
   */
  public static void connect(SchedCollector sched, List<Collector> phaseSources) {
    List<Collector> all = new ArrayList<>(phaseSources);
    all.add(0, sched);
    MarkerCollector.connect(all);
  }

  /** Sources that could not start, with why. */
  public List<String> notStarted() {
    return List.copyOf(notStarted);
  }

  /** The sources' states. */
  public List<CollectorRunner.Status> sources() {
    return sources.statuses();
  }

  public CorrelationEngine engine() {
    return engine;
  }

  /** The sources' metrics and health, and the engine's counters. */
  public void collect(MetricSink sink) {
    sources.collect(sink);
    engine.collect(sink);
  }

  @Override
  public void close() {
    sources.close();
    engine.close();
  }
}
