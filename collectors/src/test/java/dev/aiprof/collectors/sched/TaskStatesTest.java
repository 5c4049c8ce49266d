package dev.aiprof.collectors.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.sched.OffCpuKind;
import org.junit.jupiter.api.Test;

class TaskStatesTest {
  @Test
  void theStateAfterTheCommandNameSaysHowTheThreadWaits() {
    assertThat(TaskStates.kindOf("42 (python3) S 1 42 42 0 -1")).contains(OffCpuKind.SLEEP);
    assertThat(TaskStates.kindOf("42 (a) b) R) D 1 42")).contains(OffCpuKind.BLOCKED);
    assertThat(TaskStates.kindOf("42 (kworker/0:1) I 2 0")).contains(OffCpuKind.SLEEP);
    assertThat(TaskStates.kindOf("42 (x) T 1")).contains(OffCpuKind.OTHER);
    assertThat(TaskStates.kindOf("42 (spin) R 1 42")).isEmpty();
    assertThat(TaskStates.kindOf("garbage")).isEmpty();
  }

  @Test
  void aThreadAsleepSinceBeforeItWasFollowedIsNotRunning() {
    ThreadTimeline t = new ThreadTimeline(64, new EpisodeBudget(1 << 20));
    t.seed(1_000, OffCpuKind.SLEEP);
    Breakdown b = t.breakdown(2_000, 3_000, 1_000, 3_000, 0, OffCpuKind.OTHER, 0, e -> {});
    assertThat(b.offNs(OffCpuKind.SLEEP)).isEqualTo(1_000);
    assertThat(b.onCpuNs()).isZero();
    // Its first episode (the wait it was in, then running again) replaces the seed.
    t.add(500, 2_500, 2_600, 0, OffCpuKind.SLEEP, 0, 0);
    Breakdown after = t.breakdown(2_000, 3_000, 1_000, 3_000, 0, OffCpuKind.OTHER, 0, e -> {});
    assertThat(after.offNs(OffCpuKind.SLEEP)).isEqualTo(500);
    assertThat(after.runqueueNs()).isEqualTo(100);
    assertThat(after.onCpuNs()).isEqualTo(400);
  }

  @Test
  void episodesFromBeforeTheFollowDoNotEndTheWaitItWasFollowedIn() {
    ThreadTimeline t = new ThreadTimeline(64, new EpisodeBudget(1 << 20));
    // Its start, before the follow at 1_000, still in the ring when the store took its episodes.
    t.add(100, 200, 300, 0, OffCpuKind.PREEMPTED, 0, 0);
    t.seed(1_000, OffCpuKind.SLEEP); // asleep at the follow: it left the CPU at 300..1_000
    t.add(400, 500, 600, 0, OffCpuKind.BLOCKED, 0, 0); // and one more of before, arriving late
    Breakdown b = t.breakdown(2_000, 3_000, 1_000, 3_000, 0, OffCpuKind.OTHER, 0, e -> {});
    assertThat(b.offNs(OffCpuKind.SLEEP)).isEqualTo(1_000);
    assertThat(b.onCpuNs()).isZero();
    assertThat(b.knownNs()).isEqualTo(1_000);
    // A later seed does not move the wait's start; an episode after the follow ends the seed.
    t.seed(2_500, OffCpuKind.BLOCKED);
    assertThat(
            t.breakdown(1_000, 3_000, 1_000, 3_000, 0, OffCpuKind.OTHER, 0, e -> {})
                .offNs(OffCpuKind.SLEEP))
        .isEqualTo(2_000);
    t.add(700, 2_800, 2_900, 0, OffCpuKind.SLEEP, 0, 0);
    Breakdown after = t.breakdown(2_000, 3_000, 1_000, 3_000, 0, OffCpuKind.OTHER, 0, e -> {});
    assertThat(after.offNs(OffCpuKind.SLEEP)).isEqualTo(800);
    assertThat(after.runqueueNs()).isEqualTo(100);
    assertThat(after.onCpuNs()).isEqualTo(100);
  }
}
