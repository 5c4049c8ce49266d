package dev.aiprof.collectors.jfr;

import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import jdk.jfr.consumer.EventStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * Turns one JVM's JFR events into {@link Phase}s (origin JFR): GC pauses ({@link GcPauses}) and
 * safepoints ({@link Safepoints}) process-wide, {@code aiprof.Phase} events on the committing
 * thread (host tid via {@link ThreadIds}) named by their {@code name} field. Event times (wall
 * clock) become monotonic through {@link ClockSync}. A malformed event is counted, never thrown
 * into the stream.
 *
 * <p>Not thread-safe: registered on one stream, whose single thread calls it.
 */
final class PhaseMapper {
  private static final System.Logger LOG = System.getLogger(PhaseMapper.class.getName());
  private static final long PATIENCE_NS = Duration.ofSeconds(30).toNanos();

  private final int pid;
  private final ClockSync clock;
  private final ThreadIds tids;
  private final Consumer<Phase> out;
  private final JfrCounters counters;
  private final GcPauses gc;
  private final Safepoints safepoints;
  private long latestNs = Long.MIN_VALUE;
  private boolean loggedMalformed;

  PhaseMapper(
      int pid,
      ClockSync clock,
      ThreadIds tids,
      Duration minDuration,
      Consumer<Phase> out,
      JfrCounters counters) {
    this.pid = pid;
    this.clock = clock;
    this.tids = tids;
    this.out = out;
    this.counters = counters;
    this.gc = new GcPauses(pid, PATIENCE_NS, p -> emit(PhaseKind.GC, p));
    this.safepoints =
        new Safepoints(
            pid, minDuration.toNanos(), PATIENCE_NS, p -> emit(PhaseKind.SAFEPOINT, p), counters);
  }

  /** Registers handlers for exactly the events of {@link JfrEvents} (the parser skips others). */
  void register(EventStream s) {
    s.onEvent(JfrEvents.GC_PAUSE, guarded(this::gcPause));
    s.onEvent(JfrEvents.GC, guarded(this::collection));
    s.onEvent(JfrEvents.SAFEPOINT_BEGIN, guarded(this::safepointBegin));
    s.onEvent(JfrEvents.VM_OPERATION, guarded(this::vmOperation));
    s.onEvent(JfrEvents.SAFEPOINT_END, guarded(this::safepointEnd));
    s.onEvent(JfrEvents.USER_PHASE, guarded(this::userPhase));
    s.onFlush(this::flush);
  }

  /** Reports what waited too long; called after each flush and at the end of a file. */
  void flush() {
    gc.expire(latestNs);
    safepoints.expire(latestNs);
  }

  private void gcPause(RecordedEvent e) {
    gc.pause(e.getLong("gcId"), e.getString("name"), start(e), end(e));
  }

  private void collection(RecordedEvent e) {
    end(e);
    gc.collection(e.getLong("gcId"), e.getString("name"), e.getString("cause"));
  }

  private void safepointBegin(RecordedEvent e) {
    safepoints.begin(e.getLong("safepointId"), start(e));
  }

  private void vmOperation(RecordedEvent e) {
    end(e);
    if (e.getBoolean("safepoint")) {
      safepoints.operation(e.getLong("safepointId"), e.getString("operation"));
    }
  }

  private void safepointEnd(RecordedEvent e) {
    safepoints.end(e.getLong("safepointId"), end(e));
  }

  private void userPhase(RecordedEvent e) {
    String name = e.hasField("name") ? e.getString("name") : null;
    RecordedThread t = e.getThread();
    int tid = t == null ? 0 : tids.hostTid(t.getOSThreadId());
    Attributes a =
        t == null || t.getJavaName() == null
            ? Attributes.of(JfrAttributes.KIND, PhaseKind.USER.label())
            : Attributes.of(
                JfrAttributes.KIND, PhaseKind.USER.label(),
                JfrAttributes.THREAD_NAME, t.getJavaName());
    emit(
        PhaseKind.USER,
        new Phase(
            name == null ? "phase" : name,
            PhaseOrigin.JFR,
            pid,
            tid,
            start(e),
            end(e),
            0,
            a,
            null));
  }

  private void emit(PhaseKind kind, Phase p) {
    counters.phase(kind);
    out.accept(p);
  }

  private long start(RecordedEvent e) {
    return clock.toMonotonic(epochNanos(e.getStartTime()));
  }

  private long end(RecordedEvent e) {
    long ns = clock.toMonotonic(epochNanos(e.getEndTime()));
    latestNs = Math.max(latestNs, ns);
    return ns;
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private Consumer<RecordedEvent> guarded(Consumer<RecordedEvent> handler) {
    return e -> {
      try {
        handler.accept(e);
      } catch (RuntimeException ex) {
        counters.drop(JfrCounters.Drop.MALFORMED);
        if (!loggedMalformed) {
          loggedMalformed = true;
          LOG.log(
              System.Logger.Level.WARNING,
              "pid "
                  + pid
                  + ": unexpected "
                  + e.getEventType().getName()
                  + " event (logged once): "
                  + ex);
        }
      }
    };
  }
}
