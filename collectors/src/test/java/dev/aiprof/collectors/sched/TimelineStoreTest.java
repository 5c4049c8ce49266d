package dev.aiprof.collectors.sched;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedAbi;
import dev.aiprof.bpf.sched.SchedEventView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The store's bounds: threads, memory, and the memory given back when timelines go. */
class TimelineStoreTest {
  private static final long MS = 1_000_000L;
  private static final int PID = 10;
  private static final long PER_TIMELINE =
      (long) ThreadTimeline.INITIAL * EpisodeBudget.BYTES_PER_EPISODE;

  private final Arena arena = Arena.ofAuto();

  /** An episode of {@code tid}: off-CPU at {@code off}, runnable 1 ms later, on 1 ms after. */
  private SchedEventView episode(int pid, int tid, long off) {
    MemorySegment e = arena.allocate(SchedAbi.EVENT);
    SchedAbi.EVENT.varHandle(groupElement("pid")).set(e, 0L, pid);
    SchedAbi.EVENT.varHandle(groupElement("tid")).set(e, 0L, tid);
    SchedAbi.EVENT.varHandle(groupElement("kind")).set(e, 0L, (byte) OffCpuKind.SLEEP.code());
    SchedAbi.EVENT.varHandle(groupElement("offcpu_ts")).set(e, 0L, off);
    SchedAbi.EVENT.varHandle(groupElement("runnable_ts")).set(e, 0L, off + MS);
    SchedAbi.EVENT.varHandle(groupElement("oncpu_ts")).set(e, 0L, off + 2 * MS);
    return new SchedEventView().at(e.address());
  }

  /** A store with room for the initial episodes of {@code timelines} threads. */
  private static TimelineStore store(int timelines) {
    TimelineStore s = new TimelineStore(1_000 * MS, 1024, 64, timelines * PER_TIMELINE);
    s.follow(PID, 0);
    return s;
  }

  @Test
  void newThreadsPastTheMemoryBudgetAreRefusedAndCounted() {
    TimelineStore s = store(2);
    s.onEpisode(episode(PID, 11, 10 * MS));
    s.onEpisode(episode(PID, 12, 10 * MS));
    assertThat(s.memoryBytes()).isEqualTo(2 * PER_TIMELINE);
    s.onEpisode(episode(PID, 13, 10 * MS));
    assertThat(s.threads()).isEqualTo(2);
    assertThat(s.threadsOf(PID)).containsExactlyInAnyOrder(11, 12);
    assertThat(s.memoryRefused()).isEqualTo(1);
    assertThat(s.threadsRefused()).isZero();
    assertThat(s.memoryBytes()).isLessThanOrEqualTo(s.memoryCapacityBytes());
  }

  @Test
  void newThreadsPastTheThreadBoundAreRefusedAndCounted() {
    TimelineStore s = new TimelineStore(1_000 * MS, 1024, 16, 1L << 30);
    s.follow(PID, 0);
    for (int tid = 100; tid < 120; tid++) {
      s.onEpisode(episode(PID, tid, 10 * MS));
    }
    assertThat(s.threads()).isEqualTo(16);
    assertThat(s.threadsRefused()).isEqualTo(4);
    assertThat(s.memoryRefused()).isZero();
  }

  @Test
  void aTimelineThatCannotGrowDropsItsOldestAndCountsThem() {
    TimelineStore s = store(1);
    for (int i = 0; i < ThreadTimeline.INITIAL + 10; i++) {
      s.onEpisode(episode(PID, 11, (10 + 3 * i) * MS));
    }
    assertThat(s.droppedForMemory()).isEqualTo(10);
    assertThat(s.memoryBytes()).isEqualTo(PER_TIMELINE);
  }

  @Test
  void pruneGivesTheMemoryOfStaleTimelinesBack() {
    TimelineStore s = store(2);
    s.onEpisode(episode(PID, 11, 10 * MS));
    s.onEpisode(episode(PID, 12, 1_500 * MS));
    assertThat(s.memoryBytes()).isEqualTo(2 * PER_TIMELINE);
    // At 1.5 s thread 11 has reported nothing for longer than the retention (1 s); 12 has.
    s.prune(1_500 * MS);
    assertThat(s.threadsOf(PID)).containsExactly(12);
    assertThat(s.memoryBytes()).isEqualTo(PER_TIMELINE);
    // The room is there again for a new thread.
    s.onEpisode(episode(PID, 13, 1_600 * MS));
    assertThat(s.threads()).isEqualTo(2);
    assertThat(s.memoryRefused()).isZero();
  }

  @Test
  void anEndedProcessIsKeptForItsLastPhasesThenItsMemoryGoesBack() {
    TimelineStore s = store(4);
    s.follow(20, 0);
    s.onEpisode(episode(PID, 11, 10 * MS));
    s.onEpisode(episode(PID, 12, 10 * MS));
    s.onEpisode(episode(20, 21, 10 * MS));
    assertThat(s.memoryBytes()).isEqualTo(3 * PER_TIMELINE);
    s.unfollow(PID, 20 * MS);
    assertThat(s.followed(PID)).isFalse();
    assertThat(s.followedSince(PID))
        .as("its phases still on their way are described from what was kept")
        .isZero();
    assertThat(s.threadsOf(PID)).containsExactlyInAnyOrder(11, 12);
    // Episodes of the ended process not flagged as followed are not kept.
    s.onEpisode(episode(PID, 13, 30 * MS));
    assertThat(s.threadsOf(PID)).containsExactlyInAnyOrder(11, 12);
    // Past the retention (1 s here) it goes, and its memory with it.
    s.prune(20 * MS + 1_001 * MS);
    assertThat(s.followedSince(PID)).isEqualTo(Long.MAX_VALUE);
    assertThat(s.threadsOf(PID)).isEmpty();
    assertThat(s.threadsOf(20)).as("the other process: no new episode for 1 s either").isEmpty();
    assertThat(s.memoryBytes()).isZero();
  }

  @Test
  void aNewProcessUnderTheSamePidStartsAfresh() {
    TimelineStore s = store(4);
    s.onEpisode(episode(PID, 11, 10 * MS));
    s.unfollow(PID, 20 * MS);
    s.follow(PID, 50 * MS);
    assertThat(s.followedSince(PID)).as("not the old process's since").isEqualTo(50 * MS);
    assertThat(s.threadsOf(PID)).as("nothing of the old process claimed").isEmpty();
    assertThat(s.memoryBytes()).isZero();
  }

  @Test
  void episodesOfProcessesNotFollowedAreIgnored() {
    TimelineStore s = store(2);
    s.onEpisode(episode(99, 100, 10 * MS));
    assertThat(s.threads()).isZero();
    assertThat(s.memoryBytes()).isZero();
  }
}
