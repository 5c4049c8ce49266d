package dev.aiprof.pipeline;

import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.log.ThrottledLog;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.supervise.SupervisedLoop;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Joins phases with signals. Sources hand in completed phases ({@link #onPhase}, any thread, never
 * blocks: a full inbox drops and counts). The engine's thread asks the follow service to follow
 * each phase's process, then holds the phase until every signal {@linkplain PhaseSignal#relevant
 * relevant} to it is {@linkplain PhaseSignal#ready ready}, each within its own {@linkplain
 * PhaseSignal#patience patience}: a late signal is named on the phase ({@code aiprof.signals.late})
 * and counted, and holds neither this phase nor the others any longer. The relevant signals then
 * describe the phase, the workload is looked up, and the {@link CorrelatedPhase} goes to the sinks.
 * A signal that throws is counted and skipped; the phase still goes out. A new signal is one more
 * element of the list: nothing here changes.
 *
 * <p>Bounded: the inbox holds {@code inboxCapacity} phases, and as many may wait for signals; past
 * that the oldest waiting phase is described at once (counted as late by every signal it still
 * waited for).
 *
 * <p>Lifecycle: construct, add sinks, {@link #start()}, {@link #close()} (describes what is left,
 * then stops). Thread-safe.
 */
public final class CorrelationEngine implements PhaseListener, AutoCloseable {
  public static final MetricId PHASES =
      MetricId.counter(
          "aiprof.correlation.phases", "Phases received from phase sources, by outcome", "{phase}");
  public static final MetricId BYTES =
      MetricId.gauge(
          "aiprof.correlation.bytes",
          "Estimated heap bytes of the phases waiting in the correlation engine (at most"
              + " correlation.inbox-bytes)",
          "By");
  public static final MetricId LATE =
      MetricId.counter(
          "aiprof.correlation.late",
          "Phases described before a signal's data was complete (its patience ran out), by signal",
          "{phase}");
  public static final MetricId WAITING =
      MetricId.gauge(
          "aiprof.correlation.waiting", "Phases waiting for their signals' data", "{phase}");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aiprof.outcome");
  public static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("aiprof.signal");

  /** On a phase: the signals that were late for it. */
  public static final AttributeKey<List<String>> LATE_SIGNALS =
      AttributeKey.stringArrayKey("aiprof.signals.late");

  private static final System.Logger LOG = System.getLogger(CorrelationEngine.class.getName());
  private static final ThrottledLog THROTTLED = ThrottledLog.of(CorrelationEngine.class);
  private static final int MAX_SIGNALS = 64;

  /** A phase and the signals it still waits for (bits), or was late for. */
  private static final class Pending {
    final Phase phase;
    final long arrivedNs;
    long relevant;
    long awaiting;
    long late;

    final long bytes;

    Pending(Phase phase, long arrivedNs, long bytes) {
      this.phase = phase;
      this.arrivedNs = arrivedNs;
      this.bytes = bytes;
    }
  }

  private final List<PhaseSignal> signals = new ArrayList<>();
  private long[] patienceNs;
  private final WorkloadLookup workloads;
  private final Follows follows;

  /** The default bound of {@link #maxBytes}: 16 MiB of the agent's heap budget. */
  public static final long DEFAULT_MAX_BYTES = 16L << 20;

  /** The engine's thread (its loop supervised: restarted after a failure, counted). */
  public static final String THREAD = "aiprof-correlation";

  private final ClockSync clock;
  private final LongSupplier nanoClock;
  private final int maxWaiting;
  private final BlockingQueue<Pending> inbox;
  private final ArrayDeque<Pending> arrived = new ArrayDeque<>();
  private final List<Pending> waiting = new ArrayList<>(); // engine thread only, arrival order
  private final List<CorrelatedPhaseSink> sinks = new CopyOnWriteArrayList<>();
  private boolean[] failedSignals;
  private volatile AtomicLongArray lateBySignal = new AtomicLongArray(0);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  // Estimated heap of the phases in the inbox and waiting for signals (PhaseBytes).
  private final AtomicLong bytes = new AtomicLong();
  private volatile long maxBytes = DEFAULT_MAX_BYTES;
  private final java.util.concurrent.atomic.AtomicBoolean dropLogged =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicLong described = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong signalFailures = new AtomicLong();
  private volatile int waitingNow;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean closed;

  /**
   * @param follows asked to follow the process of every phase, on the engine's thread
   * @param inboxCapacity phases waiting to be taken in, and phases waiting for signals, each
   */
  public CorrelationEngine(
      WorkloadLookup workloads, Follows follows, ClockSync clock, int inboxCapacity) {
    this(workloads, follows, clock, inboxCapacity, System::nanoTime);
  }

  CorrelationEngine(
      WorkloadLookup workloads,
      Follows follows,
      ClockSync clock,
      int inboxCapacity,
      LongSupplier nanoClock) {
    this.workloads = workloads;
    this.follows = follows;
    this.clock = clock;
    this.nanoClock = nanoClock;
    this.maxWaiting = inboxCapacity;
    this.inbox = new ArrayBlockingQueue<>(inboxCapacity);
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name(THREAD)
            .unstarted(() -> SupervisedLoop.run(THREAD, () -> running, this::run));
  }

  /**
   * Adds a signal; only before {@link #start} (phases may arrive meanwhile: they wait in the
   * inbox).
   *
   * @throws IllegalStateException after start, or past 64 signals
   */
  public synchronized CorrelationEngine addSignal(PhaseSignal signal) {
    if (patienceNs != null) {
      throw new IllegalStateException(
          "signal " + signal.name() + " added after the engine started");
    }
    if (signals.size() == MAX_SIGNALS) {
      throw new IllegalStateException("more than " + MAX_SIGNALS + " signals");
    }
    signals.add(signal);
    return this;
  }

  public CorrelationEngine addSink(CorrelatedPhaseSink sink) {
    sinks.add(sink);
    return this;
  }

  /** The signals, in the order they were added. */
  public synchronized List<PhaseSignal> signals() {
    return List.copyOf(signals);
  }

  public void start() {
    freeze();
    thread.start();
  }

  private synchronized void freeze() {
    if (patienceNs == null) {
      patienceNs = signals.stream().mapToLong(s -> s.patience().toNanos()).toArray();
      failedSignals = new boolean[signals.size()];
      lateBySignal = new AtomicLongArray(signals.size());
    }
  }

  /** Whether the engine's thread runs (false before start, after close, or if it died). */
  public boolean alive() {
    return thread.isAlive();
  }

  @Override
  public void onPhase(Phase phase) {
    received.incrementAndGet();
    long size = PhaseBytes.of(phase);
    if (closed) {
      drop(phase);
    } else if (bytes.addAndGet(size) > maxBytes) {
      bytes.addAndGet(-size);
      drop(phase);
    } else if (!inbox.offer(new Pending(phase, nanoClock.getAsLong(), size))) {
      bytes.addAndGet(-size);
      drop(phase);
    }
  }

  private void drop(Phase phase) {
    dropped.incrementAndGet();
    if (!closed && !dropLogged.getAndSet(true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "correlation engine full ("
              + inbox.size()
              + " phases in its inbox, ~"
              + bytes.get()
              + " of at most "
              + maxBytes
              + " bytes waiting): dropping phases such as '"
              + phase.name()
              + "', counted in aiprof.correlation.phases{aiprof.outcome=dropped}. (Logged once.)");
    }
  }

  /**
   * Bounds the estimated heap of the phases waiting (in the inbox and for their signals) besides
   * their count; phases beyond it are dropped and counted.
   */
  public CorrelationEngine maxBytes(long max) {
    if (max < 4096) {
      throw new IllegalArgumentException("correlation bytes " + max + " < 4096");
    }
    this.maxBytes = max;
    return this;
  }

  /** Estimated heap bytes of the phases waiting now. */
  public long bytes() {
    return bytes.get();
  }

  private void run() {
    while (running) {
      try {
        // Idle: sleep until a phase arrives (or a second passes). Waiting for signals: recheck
        // every 20 ms, the signals' drain cadence. No busy wake-ups when nothing happens.
        Pending p = inbox.poll(waiting.isEmpty() ? 1000 : 20, TimeUnit.MILLISECONDS);
        if (p != null) {
          take(p);
        }
        pump();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        THROTTLED.log(System.Logger.Level.WARNING, "correlation.loop", "correlation failed", e);
      }
    }
  }

  /** Takes in what arrived and describes what is ready (the loop's body). */
  void pump() {
    freeze();
    takeArrived();
    long now = nanoClock.getAsLong();
    for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      check(p, now, false);
      if (p.awaiting == 0) {
        it.remove();
        emit(p);
      }
    }
    while (waiting.size() > maxWaiting) {
      Pending oldest = waiting.removeFirst();
      check(oldest, now, true);
      emit(oldest);
    }
    waitingNow = waiting.size();
  }

  /**
   * Takes in what arrived, one at a time: what a failed pass left (a restarted loop) is taken, not
   * forgotten with its bytes still counted.
   */
  private void takeArrived() {
    inbox.drainTo(arrived);
    for (Pending p = arrived.pollFirst(); p != null; p = arrived.pollFirst()) {
      take(p);
    }
  }

  private void take(Pending p) {
    int pid = p.phase.pid();
    if (pid > 0) {
      try {
        follows.follow(pid);
      } catch (RuntimeException e) {
        THROTTLED.log(
            System.Logger.Level.WARNING, "correlation.follow", "cannot follow pid " + pid, e);
      }
    }
    for (int i = 0; i < signals.size(); i++) {
      if (relevant(i, p.phase)) {
        p.relevant |= 1L << i;
      }
    }
    p.awaiting = p.relevant;
    waiting.add(p);
  }

  /** Clears the signals now ready; marks late (and clears) those past their patience. */
  private void check(Pending p, long now, boolean force) {
    for (int i = 0; i < signals.size(); i++) {
      long bit = 1L << i;
      if ((p.awaiting & bit) == 0) {
        continue;
      }
      if (ready(i, p.phase)) {
        p.awaiting &= ~bit;
      } else if (force || now - p.arrivedNs > patienceNs[i]) {
        p.awaiting &= ~bit;
        p.late |= bit;
      }
    }
  }

  private boolean relevant(int i, Phase phase) {
    try {
      return signals.get(i).relevant(phase);
    } catch (RuntimeException e) {
      failed(i, e);
      return false;
    }
  }

  private boolean ready(int i, Phase phase) {
    try {
      return signals.get(i).ready(phase);
    } catch (RuntimeException e) {
      failed(i, e);
      return true; // describe() will say what it can, or fail and be counted again
    }
  }

  private void failed(int i, RuntimeException e) {
    signalFailures.incrementAndGet();
    if (!failedSignals[i]) {
      failedSignals[i] = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "signal " + signals.get(i).name() + " failed (logged once): " + e);
    }
  }

  private void emit(Pending p) {
    bytes.addAndGet(-p.bytes);
    PhaseDescription d = new PhaseDescription();
    List<String> lateNames = new ArrayList<>();
    for (int i = 0; i < signals.size(); i++) {
      long bit = 1L << i;
      if ((p.relevant & bit) == 0) {
        continue;
      }
      if ((p.late & bit) != 0) {
        lateNames.add(signals.get(i).name());
        lateBySignal.incrementAndGet(i);
      }
      try {
        signals.get(i).describe(p.phase, d);
      } catch (RuntimeException e) {
        failed(i, e);
      }
    }
    if (!lateNames.isEmpty()) {
      late.incrementAndGet();
      d.attribute(LATE_SIGNALS, List.copyOf(lateNames));
    }
    Attributes workload;
    try {
      workload = workloads.resource(p.phase.pid());
    } catch (RuntimeException e) {
      workload = Attributes.empty();
    }
    CorrelatedPhase c =
        new CorrelatedPhase(
            p.phase,
            workload,
            d.attributes(),
            d.events(),
            d.values(),
            lateNames,
            clock.toEpochNanos(p.phase.startNs()),
            clock.toEpochNanos(p.phase.endNs()));
    described.incrementAndGet();
    for (CorrelatedPhaseSink sink : sinks) {
      try {
        sink.accept(c);
      } catch (RuntimeException e) {
        THROTTLED.log(System.Logger.Level.WARNING, "correlation.sink", "phase sink failed", e);
      }
    }
  }

  /**
   * Phases received, dropped (inbox full), described, described with a late signal, signal
   * failures; late phases per signal; phases waiting now.
   */
  public void collect(MetricSink sink) {
    sink.counter(PHASES, Attributes.of(OUTCOME, "received"), received.get());
    sink.counter(PHASES, Attributes.of(OUTCOME, "dropped"), dropped.get());
    sink.gauge(BYTES, Attributes.empty(), bytes.get());
    sink.counter(PHASES, Attributes.of(OUTCOME, "described"), described.get());
    sink.counter(PHASES, Attributes.of(OUTCOME, "late"), late.get());
    sink.counter(PHASES, Attributes.of(OUTCOME, "signal_failures"), signalFailures.get());
    AtomicLongArray lateNow = lateBySignal;
    for (int i = 0; i < lateNow.length(); i++) {
      sink.counter(LATE, Attributes.of(SIGNAL, signals.get(i).name()), lateNow.get(i));
    }
    sink.gauge(WAITING, Attributes.empty(), waitingNow);
  }

  public long dropped() {
    return dropped.get();
  }

  public long described() {
    return described.get();
  }

  /** Phases described with at least one late signal. */
  public long late() {
    return late.get();
  }

  /** Describes what is still waiting (late where a signal is not ready), then stops. */
  @Override
  public void close() {
    freeze();
    running = false;
    closed = true;
    thread.interrupt(); // out of its wait for the next phase
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    takeArrived();
    long now = nanoClock.getAsLong();
    for (Pending p : waiting) {
      check(p, now, true);
      emit(p);
    }
    waiting.clear();
    waitingNow = 0;
  }
}
