package dev.aiprof.agent.profile;

import dev.aiprof.agent.correlation.CorrelatedPhaseSink;
import dev.aiprof.agent.correlation.CorrelationEngine;
import dev.aiprof.agent.correlation.ProcessFollower;
import dev.aiprof.agent.correlation.WorkloadLookup;
import dev.aiprof.collectors.Collector;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.marker.MarkerCollector;
import dev.aiprof.collectors.sched.SchedCollector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler collector, the correlation engine and the phase sources of one profile run, wired
 * together: sources report to the engine, the engine describes with the scheduler's signal and
 * follows the processes the sources see. A source that cannot start is reported and skipped.
 * Closing stops the sources first, then flushes the engine, then the scheduler.
 */
final class PhaseSession implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PhaseSession.class.getName());

  private final SchedCollector sched;
  private final CorrelationEngine engine;
  private final List<Collector> sources = new ArrayList<>();
  private final List<String> notStarted = new ArrayList<>();

  /** Starts everything; {@code sched} must be started already. */
  PhaseSession(
      SchedCollector sched,
      List<Collector> phaseSources,
      CollectorContext base,
      WorkloadLookup workloads,
      CorrelatedPhaseSink sink) {
    this.sched = sched;
    this.engine =
        new CorrelationEngine(
            sched.signals(),
            workloads,
            follower(sched),
            base.clock(),
            65_536,
            Duration.ofSeconds(2));
    engine.addSink(sink);
    engine.start();
    List<Collector> all = new ArrayList<>(phaseSources);
    all.add(0, sched);
    MarkerCollector.connect(all); // marker phases follow their process inside the kernel
    CollectorContext ctx =
        new CollectorContext(
            base.features(), base.paths(), base.settings(), base.interval(), engine, base.clock());
    for (Collector c : phaseSources) {
      try {
        c.start(ctx);
        sources.add(c);
      } catch (Exception e) {
        notStarted.add(c.name() + ": " + e.getMessage());
        LOG.log(System.Logger.Level.INFO, "phase source " + c.name() + " off: " + e.getMessage());
        c.close();
      }
    }
  }

  static ProcessFollower follower(SchedCollector sched) {
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

  /** Sources that could not start, with why. */
  List<String> notStarted() {
    return List.copyOf(notStarted);
  }

  SchedCollector sched() {
    return sched;
  }

  CorrelationEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    for (Collector c : sources) {
      c.close();
    }
    engine.close();
  }
}
