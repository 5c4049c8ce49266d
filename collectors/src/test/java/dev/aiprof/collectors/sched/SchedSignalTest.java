package dev.aiprof.collectors.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.ThreadSchedStats;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When the scheduler signal is ready to describe a phase its thread ended itself. */
class SchedSignalTest {
  private static final long MS = 1_000_000L;
  private final AtomicReference<ThreadSchedStats> thread = new AtomicReference<>();
  private final AtomicLong drained = new AtomicLong(Long.MIN_VALUE);
  private final SchedSignal signal =
      new SchedSignal(
          new TimelineStore(60_000 * MS, 64, 64, 1L << 20),
          tid -> Optional.ofNullable(thread.get()),
          drained::get,
          MS,
          8);

  private static ThreadSchedStats stats(long lastOff, long lastOn) {
    return new ThreadSchedStats(
        1, 2, 0, 0, 0, 0, 0, 0, new long[4], lastOff, lastOn, OffCpuKind.PREEMPTED);
  }

  private static Phase marker(long start, long end) {
    return new Phase("step", PhaseOrigin.MARKER, 1, 2, start, end, 0, null, null);
  }

  @Test
  void waitsForTheRebuildOfASwitchInTheKernelDidNotTrace() {
    Phase p = marker(100 * MS, 200 * MS);
    drained.set(1_000 * MS);
    // The probe has the thread off-CPU since 150 ms, but the thread ended the phase at 200 ms.
    thread.set(stats(150 * MS, 120 * MS));
    assertThat(signal.ready(p)).isFalse();
    // It left the CPU again at 230 ms: that switch-out rebuilt the episode. Not drained yet...
    drained.set(230 * MS);
    thread.set(stats(230 * MS, 190 * MS));
    assertThat(signal.ready(p)).isFalse();
    // ...and it keeps switching: the target stays the first switch-out seen after the end.
    thread.set(stats(400 * MS, 390 * MS));
    drained.set(300 * MS);
    assertThat(signal.ready(p)).isTrue();
  }

  @Test
  void aThreadSeenOnACpuIsReadyAtOnce() {
    drained.set(1_000 * MS);
    thread.set(stats(150 * MS, 160 * MS));
    assertThat(signal.ready(marker(100 * MS, 200 * MS))).isTrue();
  }

  @Test
  void phasesNotEndedByTheirThreadNeverWaitForARebuild() {
    drained.set(1_000 * MS);
    thread.set(stats(150 * MS, 120 * MS)); // off-CPU since before the end: fine for a span
    Phase span = new Phase("request", PhaseOrigin.OTLP, 1, 2, 100 * MS, 200 * MS, 0, null, null);
    assertThat(signal.ready(span)).isTrue();
  }

  @Test
  void noPhaseIsReadyBeforeTheRingIsDrainedPastItsEnd() {
    thread.set(stats(150 * MS, 160 * MS)); // on a CPU: nothing else to wait for
    Phase span = new Phase("request", PhaseOrigin.OTLP, 1, 2, 100 * MS, 200 * MS, 0, null, null);
    Phase mark = marker(100 * MS, 200 * MS);
    assertThat(signal.ready(span)).isFalse(); // nothing drained yet
    assertThat(signal.ready(mark)).isFalse();
    // Drained to just past the end, but a program may still be between its timestamp and its
    // reservation: the margin (20 ms) is not over yet.
    drained.set(205 * MS);
    assertThat(signal.ready(span)).isFalse();
    assertThat(signal.ready(mark)).isFalse();
    drained.set(220 * MS);
    assertThat(signal.ready(span)).isTrue();
    assertThat(signal.ready(mark)).isTrue();
  }

  @Test
  void processWidePhasesWaitOnlyForTheDrain() {
    thread.set(stats(150 * MS, 120 * MS)); // would hold a thread's phase
    Phase gc = new Phase("GC", PhaseOrigin.MARKER, 1, 0, 100 * MS, 200 * MS, 0, null, null);
    drained.set(230 * MS);
    assertThat(signal.ready(gc)).isTrue();
  }

  @Test
  void relevantToPhasesOfProcessesOnly() {
    assertThat(signal.relevant(marker(100 * MS, 200 * MS))).isTrue();
    assertThat(
            signal.relevant(
                new Phase("host", PhaseOrigin.OTLP, 0, 0, 100 * MS, 200 * MS, 0, null, null)))
        .isFalse();
  }

  @Test
  void aSandboxedPhaseHasNoPerThreadFigures() {
    Sandbox gvisor = new Sandbox(Sandbox.Kind.GVISOR, "sandbox", Optional.empty());
    SchedSignal sandboxed =
        new SchedSignal(
            new TimelineStore(60_000 * MS, 64, 64, 1L << 20),
            tid -> Optional.empty(),
            drained::get,
            MS,
            8,
            pid -> pid == 1 ? Optional.of(gvisor) : Optional.empty());
    drained.set(1_000 * MS);
    PhaseDescription thread = new PhaseDescription();
    sandboxed.describe(marker(100 * MS, 200 * MS), thread);
    assertThat(thread.attributes().get(Sandbox.SCHED_OBSERVABLE)).isFalse();
    assertThat(thread.attributes().get(Sandbox.SCHED_REASON)).contains("Sentry");
    assertThat(thread.attributes().get(SchedSignal.ON_CPU)).isNull();
    assertThat(thread.attributes().get(SchedSignal.COVERAGE)).isNull();

    PhaseDescription wide = new PhaseDescription();
    sandboxed.describe(
        new Phase("request", PhaseOrigin.OTLP, 1, 0, 100 * MS, 200 * MS, 0, null, null), wide);
    assertThat(wide.attributes().get(SchedSignal.SCOPE)).isEqualTo("sandbox");
    assertThat(wide.attributes().get(SchedSignal.ON_CPU)).isNotNull();
    assertThat(wide.events()).isEmpty();

    PhaseDescription plain = new PhaseDescription();
    sandboxed.describe(
        new Phase("step", PhaseOrigin.MARKER, 7, 7, 100 * MS, 200 * MS, 0, null, null), plain);
    assertThat(plain.attributes().get(Sandbox.SCHED_OBSERVABLE)).isNull();
    assertThat(plain.attributes().get(SchedSignal.ON_CPU)).isNotNull();
  }
}
