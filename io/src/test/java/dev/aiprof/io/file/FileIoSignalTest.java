package dev.aiprof.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.follow.Followed;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.fileio.FileIoOp;
import dev.aiprof.bpf.fileio.FileIoSlot;
import dev.aiprof.bpf.fileio.SlowRead;
import io.opentelemetry.api.common.Attributes;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fileio phase signal on hand-made slot entries and slow reads: attribution and readiness. */
class FileIoSignalTest {
  private static final long SLOT = 1L << 24;
  private static final int PID = 40;
  private static final int TID = 41;

  private static final long START_NS = 5_000_000_000L;
  private static final ProcessKey KEY = ProcessKey.ofBootNs(PID, START_NS);

  private final ThreadActivity<ProcessKey, FileIoSlot, SlowRead> activity =
      new ThreadActivity<>(16, 16, 4);
  private long slotsUntil = Long.MAX_VALUE;
  private long ringUntil = Long.MAX_VALUE;
  private long followedSince = 0;
  private ProcessKey followedKey = KEY;
  private final FileIoSignal signal =
      new FileIoSignal(activity, true, this::followed, () -> slotsUntil, () -> ringUntil, SLOT, 2);

  private Optional<Followed> followed(int pid) {
    return pid == followedKey.pid() && followedSince != Long.MAX_VALUE
        ? Optional.of(new Followed(followedKey, followedSince))
        : Optional.empty();
  }

  @Test
  void anEntryInsideThePhaseCountsWholeAndOneOutsideNotAtAll() {
    activity.addSlot(entry(100, 100 * SLOT + 10, 100 * SLOT + 500, 4096, 3, 2, 1));
    activity.addSlot(entry(103, 103 * SLOT + 10, 103 * SLOT + 20, 999, 9, 9, 9));
    PhaseDescription d = describe(phase(100 * SLOT, 101 * SLOT));
    assertThat(d.values())
        .containsEntry(Category.BYTES_READ, 4096L)
        .containsEntry(Category.PAGE_CACHE_MISSES, 3L)
        .containsEntry(Category.MAJOR_FAULTS, 1L)
        .containsEntry(Category.BYTES_WRITTEN, 0L);
    assertThat(d.attributes().get(FileIoSignal.READAHEAD)).isEqualTo(2);
  }

  @Test
  void anEntryThatStraddlesABoundaryIsSplitByTheShareOfItsInterval() {
    long first = 200 * SLOT;
    activity.addSlot(entry(200, first, first + 999, 1000, 0, 0, 0)); // [first, first + 1000)
    assertThat(describe(phase(first, first + 250)).values())
        .containsEntry(Category.BYTES_READ, 250L);
    assertThat(describe(phase(first + 250, first + 2000)).values())
        .containsEntry(Category.BYTES_READ, 750L);
  }

  @Test
  void theSlowestReadsOfTheThreadBecomeEventsNamingTheFile() {
    long t = 300 * SLOT;
    for (int i = 1; i <= 3; i++) {
      activity.addEvent(slow(TID, t + i * 1000, t + i * 1000 + i * 100_000L, true));
    }
    PhaseDescription d = describe(phase(t, t + 10_000_000));
    assertThat(d.events()).hasSize(2); // two per phase in this signal
    assertThat(d.events().getFirst().attributes().get(FileIoSignal.SLOW_MS)).isEqualTo(0.3);
    assertThat(d.events().getFirst().attributes().get(FileIoSignal.DEVICE)).isEqualTo("254:1");
    assertThat(d.events().getFirst().attributes().get(FileIoSignal.INODE)).isEqualTo(12);
    assertThat(d.attributes().get(FileIoSignal.SLOW_READS)).isEqualTo(3);
  }

  @Test
  void aProcessWidePhaseSumsEveryThreadOfItsProcess() {
    activity.addSlot(entry(400, 400 * SLOT, 400 * SLOT + 10, 100, 0, 0, 0));
    activity.addSlot(
        new FileIoSlot(
            400, PID, START_NS, TID + 1, 1, 0, 1, 50, 5, 0, 0, 0, 0, 0, 400 * SLOT, 400 * SLOT));
    Phase wide =
        new Phase("all", PhaseOrigin.MARKER, PID, 0, 400 * SLOT, 401 * SLOT, 0, null, null);
    assertThat(wide.processWide()).isTrue();
    assertThat(describe(wide).values()).containsEntry(Category.BYTES_READ, 150L);
  }

  @Test
  void readyOnlyOnceSlotsAndRingAreDrainedPastTheEnd() {
    Phase p = phase(10 * SLOT, 11 * SLOT);
    assertThat(signal.ready(p)).isTrue();
    slotsUntil = 11 * SLOT;
    assertThat(signal.ready(p)).as("slots not drained past the end").isFalse();
    slotsUntil = Long.MAX_VALUE;
    ringUntil = 11 * SLOT + 1;
    assertThat(signal.ready(p)).as("ring within the margin of the end").isFalse();
    ringUntil = Long.MIN_VALUE;
    assertThat(signal.ready(p)).as("ring never drained").isFalse();
    assertThat(signal.relevant(p)).isTrue();
    assertThat(signal.relevant(new Phase("x", PhaseOrigin.OTLP, 0, 0, 0, 1, 0, null, null)))
        .as("no process")
        .isFalse();
  }

  @Test
  void coverageSaysHowMuchOfThePhaseCameAfterTheFollow() {
    Phase p = phase(1000, 2000);
    assertThat(describe(p).attributes().get(FileIoSignal.COVERAGE)).isEqualTo(1.0);
    followedSince = 1250;
    assertThat(describe(p).attributes().get(FileIoSignal.COVERAGE)).isEqualTo(0.75);
    followedSince = Long.MAX_VALUE;
    assertThat(describe(p).attributes().get(FileIoSignal.COVERAGE)).isEqualTo(0.0);
    assertThat(describe(p).values()).as("not covered: no amounts rather than zeros").isEmpty();
    assertThat(signal.relevant(p)).as("a process never followed has no slots").isFalse();
    FileIoSignal alone =
        new FileIoSignal(
            activity,
            false,
            pid -> Optional.of(new Followed(KEY, 0)),
            () -> slotsUntil,
            () -> ringUntil,
            SLOT,
            2);
    assertThat(alone.relevant(p)).as("nothing followed without the sched probe").isFalse();
  }

  @Test
  void aProcessUnderAReusedPidSeesNothingOfTheOneBefore() {
    long t = 500 * SLOT;
    activity.addSlot(entry(500, t + 10, t + 20, 4096, 1, 0, 0)); // KEY's, on its main thread
    activity.addEvent(slow(TID, t + 10, t + 20_000_000, true));
    // The pid now names a process started a second later, whose phase covers the same time.
    followedKey = ProcessKey.ofBootNs(PID, START_NS + 1_000_000_000L);
    Phase thread = phase(t, t + SLOT);
    Phase wide = new Phase("all", PhaseOrigin.MARKER, PID, 0, t, t + SLOT, 0, null, null);
    for (Phase p : java.util.List.of(thread, wide)) {
      PhaseDescription d = describe(p);
      assertThat(d.values()).as("%s", p).containsEntry(Category.BYTES_READ, 0L);
      assertThat(d.events()).isEmpty();
    }
    followedKey = KEY;
    assertThat(describe(thread).values()).containsEntry(Category.BYTES_READ, 4096L);
    assertThat(describe(thread).events()).hasSize(1);
  }

  private PhaseDescription describe(Phase p) {
    PhaseDescription d = new PhaseDescription();
    signal.describe(p, d);
    return d;
  }

  private static Phase phase(long start, long end) {
    return new Phase("step", PhaseOrigin.MARKER, PID, TID, start, end, 0, Attributes.empty(), null);
  }

  private static FileIoSlot entry(
      long slot, long first, long last, long readBytes, long misses, long readahead, long faults) {
    return new FileIoSlot(
        slot, PID, START_NS, TID, 1, 0, 1, readBytes, 10, 0, 0, misses, readahead, faults, first,
        last);
  }

  private static SlowRead slow(int tid, long start, long end, boolean followed) {
    return new SlowRead(
        start,
        end,
        1,
        0,
        12,
        0,
        4096,
        START_NS,
        (254 << 20) | 1,
        PID,
        tid,
        FileIoOp.READ,
        false,
        followed);
  }
}
