package dev.aiprof.collectors.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.sched.OffCpuKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overlap math, on hand-made timelines (times in ns). */
class ThreadTimelineTest {
  private static final long NONE = Long.MIN_VALUE;

  /** A timeline whose budget never runs out. */
  private static ThreadTimeline timeline(int maxCapacity) {
    EpisodeBudget budget = new EpisodeBudget(1L << 30);
    assertThat(budget.take(ThreadTimeline.INITIAL)).isTrue(); // what the store takes for it
    return new ThreadTimeline(maxCapacity, budget);
  }

  private static void addEpisodes(ThreadTimeline t, int n) {
    for (int i = 0; i < n; i++) {
      t.add(i * 10L, i * 10L + 2, i * 10L + 5, 0, OffCpuKind.PREEMPTED, 0, 0);
    }
  }

  /**
   * off 100-150 blocked, runq 150-160; off 300-400 sleep (woken 380), runq 380-400; preempt
   * 500-520.
   */
  private static ThreadTimeline sample() {
    ThreadTimeline t = timeline(16);
    t.add(100, 150, 160, 0, OffCpuKind.BLOCKED, 7, 8);
    t.add(300, 380, 400, 0, OffCpuKind.SLEEP, 9, 9);
    t.add(500, 500, 520, 0, OffCpuKind.PREEMPTED, 0, 0);
    return t;
  }

  private static Breakdown whole(ThreadTimeline t, long s, long e) {
    return t.breakdown(s, e, NONE, e, 0, OffCpuKind.OTHER, 0, x -> {});
  }

  @Test
  void partsAddUpToTheInterval() {
    Breakdown b = whole(sample(), 0, 600);
    assertThat(b.knownNs()).isEqualTo(600);
    assertThat(b.offNs(OffCpuKind.BLOCKED)).isEqualTo(50);
    assertThat(b.offNs(OffCpuKind.SLEEP)).isEqualTo(80);
    assertThat(b.runqueueNs()).isEqualTo(10 + 20 + 20);
    assertThat(b.onCpuNs()).isEqualTo(600 - 50 - 80 - 50);
  }

  @Test
  void intervalsCutEpisodesExactly() {
    // [120, 390): 30 of the blocked part, its 10 of runqueue, 80 sleep, 10 of the second runqueue
    Breakdown b = whole(sample(), 120, 390);
    assertThat(b.offNs(OffCpuKind.BLOCKED)).isEqualTo(30);
    assertThat(b.runqueueNs()).isEqualTo(20);
    assertThat(b.offNs(OffCpuKind.SLEEP)).isEqualTo(80);
    assertThat(b.onCpuNs()).isEqualTo(270 - 30 - 20 - 80);
  }

  @Test
  void stealOfASliceIsSpreadOverItAndTakenFromOnCpu() {
    // On a CPU 160-300, of which the hypervisor took 40 (reported with the episode at 300).
    ThreadTimeline t = timeline(16);
    t.add(100, 150, 160, 0, OffCpuKind.BLOCKED, 7, 8);
    t.add(300, 380, 400, 40, OffCpuKind.SLEEP, 9, 9);
    Breakdown all = whole(t, 0, 500);
    assertThat(all.stealNs()).isEqualTo(40);
    assertThat(all.onCpuNs()).isEqualTo(500 - 50 - 80 - 30 - 40);
    // Half of the slice, half of its steal.
    Breakdown half = whole(t, 230, 300);
    assertThat(half.stealNs()).isEqualTo(20);
    assertThat(half.onCpuNs()).isEqualTo(50);
    // An interval that ends inside the slice still gets its share.
    assertThat(whole(t, 160, 195).stealNs()).isEqualTo(10);
    // With the episode before the slice dropped, the slice still starts where that one ended.
    t.trimBefore(200);
    assertThat(whole(t, 230, 300).stealNs()).isEqualTo(20);
  }

  @Test
  void betweenEpisodesTheThreadWasOnCpu() {
    Breakdown b = whole(sample(), 170, 290);
    assertThat(b.onCpuNs()).isEqualTo(120);
    assertThat(b.runqueueNs()).isZero();
  }

  @Test
  void nothingIsKnownBeforeFollowingStartedOrAfterTheWatermark() {
    ThreadTimeline t = sample();
    Breakdown b = t.breakdown(0, 600, 200, 450, 0, OffCpuKind.OTHER, 0, x -> {});
    assertThat(b.knownNs()).isEqualTo(250);
    assertThat(b.offNs(OffCpuKind.BLOCKED)).isZero();
    assertThat(b.offNs(OffCpuKind.SLEEP)).isEqualTo(80);
    assertThat(b.onCpuNs()).isEqualTo(250 - 80 - 20);
  }

  @Test
  void anOpenEpisodeCountsAsOffCpuOfItsKind() {
    // left the CPU at 550 (blocked) and has not come back: 550..600 is blocked time
    Breakdown b = sample().breakdown(500, 600, NONE, 600, 550, OffCpuKind.BLOCKED, 0, x -> {});
    assertThat(b.offNs(OffCpuKind.BLOCKED)).isEqualTo(50);
    assertThat(b.runqueueNs()).isEqualTo(20);
    assertThat(b.onCpuNs()).isEqualTo(30);
  }

  @Test
  void anOpenPreemptionIsRunqueueWait() {
    // preempted at 550 and not back yet: 550..600 waits on a runqueue
    Breakdown b = sample().breakdown(500, 600, NONE, 600, 550, OffCpuKind.PREEMPTED, 0, x -> {});
    assertThat(b.runqueueNs()).isEqualTo(20 + 50);
    assertThat(b.offNs(OffCpuKind.PREEMPTED)).isZero();
    assertThat(b.onCpuNs()).isEqualTo(30);
  }

  @Test
  void stallsAreEpisodesWithALongEnoughPartInside() {
    List<Episode> stalls = new ArrayList<>();
    sample().breakdown(0, 600, NONE, 600, 0, OffCpuKind.OTHER, 40, stalls::add);
    assertThat(stalls)
        .extracting(Episode::kind)
        .containsExactly(OffCpuKind.BLOCKED, OffCpuKind.SLEEP);
    assertThat(stalls.get(0).wakerPid()).isEqualTo(7);
  }

  @Test
  void droppingOldEpisodesForgetsTheirTime() {
    ThreadTimeline t = sample();
    t.trimBefore(200);
    assertThat(t.size()).isEqualTo(2);
    assertThat(t.lostUntil()).isEqualTo(160);
    Breakdown b = whole(t, 0, 600);
    assertThat(b.knownNs()).isEqualTo(440);
  }

  @Test
  void growsThenDropsTheOldestWhenFull() {
    ThreadTimeline t = timeline(128);
    addEpisodes(t, 200);
    assertThat(t.size()).isEqualTo(128);
    assertThat(t.capacity()).isEqualTo(128);
    assertThat(t.droppedForMemory()).isZero(); // full by its own bound, not for memory
    assertThat(t.lostUntil()).isEqualTo(71 * 10L + 5);
    Breakdown b = whole(t, 1000, 2000);
    assertThat(b.runqueueNs()).isEqualTo(100 * 3);
    assertThat(b.onCpuNs()).isEqualTo(1000 - 100 * 3 - 100 * 2);
  }

  @Test
  void ignoresEpisodesOutOfOrder() {
    ThreadTimeline t = sample();
    t.add(50, 60, 70, 0, OffCpuKind.SLEEP, 0, 0);
    assertThat(t.size()).isEqualTo(3);
  }

  @Test
  void stopsGrowingPastTheBudgetAndCountsWhatItDrops() {
    // Room for exactly the initial 64 episodes: the store took them when it made the timeline.
    EpisodeBudget budget =
        new EpisodeBudget(ThreadTimeline.INITIAL * EpisodeBudget.BYTES_PER_EPISODE);
    assertThat(budget.take(ThreadTimeline.INITIAL)).isTrue();
    ThreadTimeline t = new ThreadTimeline(1024, budget);
    addEpisodes(t, 100);
    assertThat(t.capacity()).isEqualTo(ThreadTimeline.INITIAL);
    assertThat(t.size()).isEqualTo(ThreadTimeline.INITIAL);
    assertThat(t.droppedForMemory()).isEqualTo(100 - ThreadTimeline.INITIAL);
    assertThat(budget.used()).isEqualTo(ThreadTimeline.INITIAL);
    // The oldest went: their time is no longer known.
    assertThat(t.lostUntil()).isEqualTo(35 * 10L + 5);
  }

  @Test
  void growsWhileTheBudgetHasRoomAndTakesWhatItGrows() {
    EpisodeBudget budget = new EpisodeBudget(1L << 20);
    assertThat(budget.take(ThreadTimeline.INITIAL)).isTrue();
    ThreadTimeline t = new ThreadTimeline(1024, budget);
    addEpisodes(t, 100);
    assertThat(t.capacity()).isEqualTo(128);
    assertThat(t.size()).isEqualTo(100);
    assertThat(t.droppedForMemory()).isZero();
    assertThat(budget.used()).isEqualTo(128);
  }

  @Test
  void aRetiredTimelineTakesNothingMore() {
    ThreadTimeline t = sample();
    t.retire();
    t.add(600, 610, 620, 0, OffCpuKind.SLEEP, 0, 0);
    assertThat(t.size()).isEqualTo(3);
  }
}
