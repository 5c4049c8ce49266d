package dev.aiprof.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.cuda.CudaCall;
import dev.aiprof.bpf.cuda.CudaDir;
import dev.aiprof.bpf.cuda.CudaSlot;
import dev.aiprof.bpf.cuda.CudaWait;
import io.opentelemetry.api.common.Attributes;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The phase signal over hand-made activity: long waits by exact overlap, slot sums by the share of
 * each slot inside the phase, other threads and processes kept apart, readiness by drain marks.
 */
class CudaSignalTest {
  private static final int SHIFT = 20; // 1,048,576 ns slots
  private static final long SLOT = 1L << SHIFT;
  private static final int PID = 10;
  private static final int TID = 11;

  private final ThreadActivity<Integer, CudaSlot, CudaWait> activity =
      new ThreadActivity<>(16, 16, 16);
  private long slotsUntil = Long.MIN_VALUE;
  private long ringUntil = Long.MIN_VALUE;
  private final CudaSignal signal =
      new CudaSignal(activity, Set.of(PID)::contains, () -> slotsUntil, () -> ringUntil, SHIFT, 2);

  @Test
  void slotsCountByTheirShareAndLongWaitsByTheirOverlap() {
    activity.addSlot(slot(100, TID, CudaCall.LAUNCH_KERNEL, CudaDir.NONE, 40, 0, 0, 0));
    activity.addSlot(slot(101, TID, CudaCall.MEMCPY, CudaDir.HTOD, 4, 4000, 0, 0));
    activity.addSlot(
        slot(101, TID, CudaCall.STREAM_SYNC, CudaDir.NONE, 3, 0, 5_000_000, 4_000_000));
    activity.addSlot(slot(101, TID + 1, CudaCall.LAUNCH_KERNEL, CudaDir.NONE, 1000, 0, 0, 0));
    activity.addEvent(wait(TID, 101 * SLOT, 101 * SLOT + 4_000_000));
    // the phase covers slot 100 whole and the first half of slot 101, where calls spread over
    // the whole slot
    PhaseDescription d = describe(phase(100 * SLOT, 101 * SLOT + SLOT / 2));
    assertThat(d.attributes().get(CudaSignal.LAUNCHES)).isEqualTo(40);
    assertThat(d.attributes().get(CudaSignal.COPIES)).isEqualTo(2);
    assertThat(d.attributes().get(CudaSignal.HTOD)).isEqualTo(2000);
    assertThat(d.attributes().get(CudaSignal.SYNCS)).isEqualTo(2); // 1.5 rounds to 2
    assertThat(d.attributes().get(CudaSignal.LONG_WAITS)).isEqualTo(1);
    long waitInside = SLOT / 2; // of the 4 ms event
    long shortWaits = 1_000_000 / 2; // half of the 1 ms below the threshold
    assertThat(d.values().get(Category.CUDA_SYNC)).isEqualTo(waitInside + shortWaits);
    assertThat(d.values().get(Category.CUDA_COPY_BYTES)).isEqualTo(2000);
    assertThat(d.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo(CudaSignal.WAIT_EVENT);
              assertThat(e.attributes().get(CudaSignal.WAIT_MS)).isEqualTo(4.0);
            });
  }

  @Test
  void aShortPhaseGetsEveryCallMadeInsideIt() {
    long start = 100 * SLOT + 1000;
    activity.addSlot(
        entry(100, CudaCall.LAUNCH_KERNEL, CudaDir.NONE, 20, 0, start + 10, start + 500));
    activity.addSlot(entry(100, CudaCall.MEMCPY, CudaDir.DTOH, 1, 64, start + 600, start + 600));
    activity.addSlot(
        entry(100, CudaCall.LAUNCH_KERNEL, CudaDir.NONE, 7, 0, start + 5000, start + 9000));
    PhaseDescription d = describe(phase(start, start + 1000));
    assertThat(d.attributes().get(CudaSignal.LAUNCHES)).isEqualTo(20);
    assertThat(d.attributes().get(CudaSignal.DTOH)).isEqualTo(64);
    PhaseDescription next = describe(phase(start + 1000, start + 10_000));
    assertThat(next.attributes().get(CudaSignal.LAUNCHES)).isEqualTo(7);
    assertThat(next.attributes().get(CudaSignal.DTOH)).isZero();
  }

  @Test
  void aPhaseWithoutCallsOfItsOwnGetsZeros() {
    activity.addSlot(slot(100, TID, CudaCall.LAUNCH_KERNEL, CudaDir.NONE, 40, 0, 0, 0));
    PhaseDescription d = describe(phase(102 * SLOT, 110 * SLOT));
    assertThat(d.attributes().get(CudaSignal.LAUNCHES)).isZero();
    assertThat(d.values().get(Category.CUDA_SYNC)).isZero();
    assertThat(d.events()).isEmpty();
  }

  @Test
  void processWidePhasesSumEveryThreadOfTheProcess() {
    activity.addSlot(slot(100, TID, CudaCall.LAUNCH_KERNEL, CudaDir.NONE, 40, 0, 0, 0));
    activity.addSlot(slot(100, TID + 1, CudaCall.RT_LAUNCH_KERNEL, CudaDir.NONE, 2, 0, 0, 0));
    activity.addSlot(
        new CudaSlot(
            100,
            PID + 1,
            99,
            CudaCall.LAUNCH_KERNEL,
            CudaDir.NONE,
            1,
            0,
            5,
            0,
            0,
            0,
            0,
            100 * SLOT,
            100 * SLOT));
    Phase wide =
        new Phase(
            "gc", PhaseOrigin.MARKER, PID, 0, 100 * SLOT, 101 * SLOT, 0, Attributes.empty(), null);
    assertThat(describe(wide).attributes().get(CudaSignal.LAUNCHES)).isEqualTo(42);
  }

  @Test
  void readyOnlyOnceSlotsAndRingAreDrainedPastTheEnd() {
    Phase p = phase(100 * SLOT, 101 * SLOT);
    assertThat(signal.relevant(p)).isTrue();
    assertThat(signal.ready(p)).isFalse();
    slotsUntil = 102 * SLOT;
    assertThat(signal.ready(p)).as("ring not drained yet").isFalse();
    ringUntil = 101 * SLOT + 30_000_000;
    assertThat(signal.ready(p)).isTrue();
    slotsUntil = 100 * SLOT;
    assertThat(signal.ready(p)).as("slots not drained past the end").isFalse();
    Phase other = new Phase("x", PhaseOrigin.MARKER, 77, 77, 0, 1, 0, Attributes.empty(), null);
    assertThat(signal.relevant(other)).as("a process that uses no CUDA").isFalse();
  }

  private PhaseDescription describe(Phase p) {
    PhaseDescription d = new PhaseDescription();
    signal.describe(p, d);
    return d;
  }

  private static Phase phase(long start, long end) {
    return new Phase("step", PhaseOrigin.MARKER, PID, TID, start, end, 0, Attributes.empty(), null);
  }

  private static CudaSlot slot(
      long slot,
      int tid,
      CudaCall call,
      CudaDir dir,
      long calls,
      long bytes,
      long ns,
      long eventNs) {
    // calls spread over the whole slot
    return new CudaSlot(
        slot,
        PID,
        tid,
        call,
        dir,
        1,
        0,
        calls,
        0,
        bytes,
        ns,
        eventNs,
        slot * SLOT,
        slot * SLOT + SLOT - 1);
  }

  private static CudaSlot entry(
      long slot, CudaCall call, CudaDir dir, long calls, long bytes, long first, long last) {
    return new CudaSlot(slot, PID, TID, call, dir, 1, 0, calls, 0, bytes, 0, 0, first, last);
  }

  private static CudaWait wait(int tid, long start, long end) {
    return new CudaWait(start, end, 1, 0, PID, tid, 0, CudaCall.STREAM_SYNC);
  }
}
