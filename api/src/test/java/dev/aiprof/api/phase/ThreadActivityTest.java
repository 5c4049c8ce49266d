package dev.aiprof.api.phase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.follow.ProcessKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-thread store's bounds, pruning, range queries and reused pids and tids. */
class ThreadActivityTest {
  private static final ProcessKey A = new ProcessKey(1, 100);
  private static final ProcessKey B = new ProcessKey(2, 100);

  record S(ProcessKey process, int tid, long firstNs, long lastNs)
      implements ThreadActivity.Slot<ProcessKey> {}

  record E(ProcessKey process, int tid, long startNs, long endNs)
      implements ThreadActivity.Event<ProcessKey> {}

  private final ThreadActivity<ProcessKey, S, E> a = new ThreadActivity<>(8, 8, 8);

  @Test
  void boundsDropTheOldestAndCount() {
    ThreadActivity<ProcessKey, S, E> small = new ThreadActivity<>(1, 2, 1);
    small.addSlot(new S(A, 1, 100, 100));
    small.addSlot(new S(A, 1, 200, 200));
    small.addSlot(new S(A, 1, 300, 300)); // the entry at 100 goes
    small.addSlot(new S(B, 2, 100, 100)); // a second thread: no room
    small.addEvent(new E(A, 1, 10, 20));
    small.addEvent(new E(A, 1, 30, 40)); // the first event goes
    assertThat(slots(small, A, 1, 0, 1000)).extracting(S::lastNs).containsExactly(200L, 300L);
    assertThat(events(small, A, 1, 0, 1000)).extracting(E::startNs).containsExactly(30L);
    assertThat(small.dropped()).isEqualTo(3);
    assertThat(small.knows(B)).isFalse();
  }

  @Test
  void pruningForgetsOldActivityAndEmptyThreads() {
    a.addSlot(new S(A, 1, 100, 100));
    a.addSlot(new S(A, 2, 500, 500));
    a.addEvent(new E(A, 2, 450, 490));
    a.prune(400);
    assertThat(a.threadsOf(A)).containsExactly(2);
    a.prune(1000);
    assertThat(a.knows(A)).isFalse();
  }

  @Test
  void aReusedThreadIdInAnotherProcessIsANewThread() {
    a.addSlot(new S(A, 7, 100, 100));
    a.addSlot(new S(B, 7, 200, 200));
    assertThat(a.threadsOf(A)).isEmpty();
    assertThat(slots(a, B, 7, 0, 1000)).extracting(S::process).containsExactly(B);
    assertThat(slots(a, A, 7, 0, 1000)).as("the old process's thread is gone").isEmpty();
    a.retainProcesses(p -> false);
    assertThat(a.knows(B)).isFalse();
  }

  @Test
  void aReusedPidIsAnotherProcess() {
    ProcessKey before = new ProcessKey(50, 1_000);
    ProcessKey after = new ProcessKey(50, 2_000); // the same pid, started later
    a.addSlot(new S(before, 50, 100, 150));
    a.addEvent(new E(before, 50, 100, 150));
    assertThat(a.knows(after)).isFalse();
    assertThat(a.threadsOf(after)).isEmpty();
    assertThat(slots(a, after, 50, 0, 1000)).as("nothing of the pid's earlier process").isEmpty();
    assertThat(events(a, after, 50, 0, 1000)).isEmpty();
    a.addSlot(new S(after, 50, 300, 300));
    assertThat(slots(a, after, 50, 0, 1000)).extracting(S::firstNs).containsExactly(300L);
    assertThat(a.threadsOf(before)).as("its main thread now belongs to the new one").isEmpty();
    a.retainProcesses(p -> !p.equals(after));
    assertThat(a.knows(after)).isFalse();
  }

  @Test
  void onlyWhatMayLieInTheRangeIsVisited() {
    a.addSlot(new S(A, 1, 100, 100));
    a.addSlot(new S(A, 1, 5_000, 5_000));
    a.addEvent(new E(A, 1, 50, 150));
    assertThat(slots(a, A, 1, 150, 4_000)).as("none of the two lies in [150, 4000)").isEmpty();
    assertThat(slots(a, A, 1, 0, 101)).extracting(S::lastNs).containsExactly(100L);
    assertThat(events(a, A, 1, 150, 4_000)).as("an event ending at the start").isEmpty();
    assertThat(events(a, A, 1, 149, 4_000)).hasSize(1);
  }

  private static List<S> slots(
      ThreadActivity<ProcessKey, S, E> a, ProcessKey p, int tid, long start, long end) {
    List<S> out = new ArrayList<>();
    a.slots(p, tid, start, end, 1_000, out::add);
    return out;
  }

  private static List<E> events(
      ThreadActivity<ProcessKey, S, E> a, ProcessKey p, int tid, long start, long end) {
    List<E> out = new ArrayList<>();
    a.events(p, tid, start, end, out::add);
    return out;
  }
}
