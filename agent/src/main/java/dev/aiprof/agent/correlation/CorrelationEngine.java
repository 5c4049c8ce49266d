package dev.aiprof.agent.correlation;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseSignal;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Joins phases with signals. Sources hand in completed phases ({@link #onPhase}, any thread, never
 * blocks: a full inbox drops and counts); the engine's thread holds each phase until every signal's
 * data covers its end ({@link PhaseSignal#completeUntil()}, {@link PhaseSignal#ready}) or its
 * patience runs out, asks every signal to describe it, looks up the workload, and hands the {@link
 * CorrelatedPhase} to the sinks. A signal that throws is counted and skipped; the phase still goes
 * out. A new signal is one more element of the list: nothing here changes.
 *
 * <p>Lifecycle: construct, add sinks, {@link #start()}, {@link #close()} (describes what is left,
 * then stops). Thread-safe.
 */
public final class CorrelationEngine implements PhaseListener, AutoCloseable {
  public static final MetricId PHASES =
      MetricId.counter(
          "aiprof.correlation.phases", "Phases received from phase sources, by outcome", "{phase}");
  public static final io.opentelemetry.api.common.AttributeKey<String> OUTCOME =
      io.opentelemetry.api.common.AttributeKey.stringKey("aiprof.outcome");

  private static final System.Logger LOG = System.getLogger(CorrelationEngine.class.getName());

  private record Pending(Phase phase, long arrivedNs) {}

  private final List<PhaseSignal> signals;
  private final WorkloadLookup workloads;
  private final ProcessFollower follower;
  private final ClockSync clock;
  private final Duration patience;
  private final LongSupplier nanoClock;
  private final BlockingQueue<Pending> inbox;
  private final PriorityQueue<Pending> waiting =
      new PriorityQueue<>(Comparator.comparingLong(p -> p.phase().endNs()));
  private final List<CorrelatedPhaseSink> sinks = new CopyOnWriteArrayList<>();
  private final Set<Integer> followed = ConcurrentHashMap.newKeySet();
  private final Set<String> failedSignals = ConcurrentHashMap.newKeySet();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong described = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong signalFailures = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  public CorrelationEngine(
      List<PhaseSignal> signals,
      WorkloadLookup workloads,
      ProcessFollower follower,
      ClockSync clock,
      int inboxCapacity,
      Duration patience) {
    this(signals, workloads, follower, clock, inboxCapacity, patience, System::nanoTime);
  }

  CorrelationEngine(
      List<PhaseSignal> signals,
      WorkloadLookup workloads,
      ProcessFollower follower,
      ClockSync clock,
      int inboxCapacity,
      Duration patience,
      LongSupplier nanoClock) {
    this.signals = List.copyOf(signals);
    this.workloads = workloads;
    this.follower = follower;
    this.clock = clock;
    this.patience = patience;
    this.nanoClock = nanoClock;
    this.inbox = new ArrayBlockingQueue<>(inboxCapacity);
    this.thread = Thread.ofPlatform().daemon().name("aiprof-correlation").unstarted(this::run);
  }

  public CorrelationEngine addSink(CorrelatedPhaseSink sink) {
    sinks.add(sink);
    return this;
  }

  public void start() {
    thread.start();
  }

  @Override
  public void onPhase(Phase phase) {
    received.incrementAndGet();
    if (!inbox.offer(new Pending(phase, nanoClock.getAsLong()))) {
      dropped.incrementAndGet();
    }
  }

  @Override
  public void onProcess(int pid) {
    if (pid > 0 && followed.add(pid)) {
      try {
        follower.follow(pid);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot follow pid " + pid + ": " + e.getMessage());
      }
    }
  }

  @Override
  public void onProcess(int pid, long followedSinceNs) {
    onProcess(pid);
    follower.followedSince(pid, followedSinceNs);
  }

  private void run() {
    while (running) {
      try {
        // Idle: sleep until a phase arrives (or a second passes). Waiting for coverage: recheck
        // every 20 ms, the signals' drain cadence. No busy wake-ups when nothing happens.
        Pending p = inbox.poll(waiting.isEmpty() ? 1000 : 20, TimeUnit.MILLISECONDS);
        if (p != null) {
          waiting.add(p);
        }
        pump();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "correlation: " + e);
      }
    }
  }

  /** Moves what arrived into the waiting queue and describes what is ready (the loop's body). */
  void pump() {
    inbox.drainTo(waiting);
    describeReady(false);
  }

  /** Describes every waiting phase whose signals are complete, or all of them when flushing. */
  private void describeReady(boolean flush) {
    long covered = Long.MAX_VALUE;
    for (PhaseSignal s : signals) {
      covered = Math.min(covered, s.completeUntil());
    }
    long now = nanoClock.getAsLong();
    List<Pending> overdue = new ArrayList<>();
    List<Pending> held = new ArrayList<>();
    while (!waiting.isEmpty() && (waiting.peek().phase().endNs() <= covered || flush)) {
      Pending p = waiting.poll();
      if (flush || ready(p.phase())) {
        emit(p.phase());
      } else {
        held.add(p); // covered, but a signal still waits for some of its data
      }
    }
    waiting.addAll(held);
    for (Pending p : waiting) {
      if (now - p.arrivedNs() > patience.toNanos()) {
        overdue.add(p);
      }
    }
    for (Pending p : overdue) {
      waiting.remove(p);
      late.incrementAndGet();
      emit(p.phase());
    }
  }

  private boolean ready(Phase phase) {
    for (PhaseSignal s : signals) {
      try {
        if (!s.ready(phase)) {
          return false;
        }
      } catch (RuntimeException e) {
        return true; // describe() will count the failing signal
      }
    }
    return true;
  }

  private void emit(Phase phase) {
    PhaseDescription d = new PhaseDescription();
    for (PhaseSignal s : signals) {
      try {
        s.describe(phase, d);
      } catch (RuntimeException e) {
        signalFailures.incrementAndGet();
        if (failedSignals.add(s.name())) {
          LOG.log(System.Logger.Level.WARNING, "signal " + s.name() + " failed: " + e);
        }
      }
    }
    Attributes workload;
    try {
      workload = workloads.resource(phase.pid());
    } catch (RuntimeException e) {
      workload = Attributes.empty();
    }
    CorrelatedPhase c =
        new CorrelatedPhase(
            phase,
            workload,
            d.attributes(),
            d.events(),
            d.times(),
            clock.toEpochNanos(phase.startNs()),
            clock.toEpochNanos(phase.endNs()));
    described.incrementAndGet();
    for (CorrelatedPhaseSink sink : sinks) {
      try {
        sink.accept(c);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "phase sink failed: " + e);
      }
    }
  }

  /**
   * Phases received, dropped (inbox full), described, and described before a signal was complete.
   */
  public void collect(MetricSink sink) {
    sink.counter(PHASES, Attributes.of(OUTCOME, "received"), received.get());
    sink.counter(PHASES, Attributes.of(OUTCOME, "dropped"), dropped.get());
    sink.counter(PHASES, Attributes.of(OUTCOME, "described"), described.get());
    sink.counter(PHASES, Attributes.of(OUTCOME, "late"), late.get());
    sink.counter(PHASES, Attributes.of(OUTCOME, "signal_failures"), signalFailures.get());
  }

  public long dropped() {
    return dropped.get();
  }

  public long described() {
    return described.get();
  }

  /** Phases described before every signal covered them (patience ran out). */
  public long late() {
    return late.get();
  }

  /** Describes what is still waiting (with whatever the signals have), then stops the thread. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    inbox.drainTo(waiting);
    describeReady(true);
  }
}
