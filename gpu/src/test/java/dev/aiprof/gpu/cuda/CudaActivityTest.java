package dev.aiprof.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.cuda.CudaCall;
import dev.aiprof.bpf.cuda.CudaDir;
import dev.aiprof.bpf.cuda.CudaSlot;
import dev.aiprof.bpf.cuda.CudaWait;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-thread store's bounds, pruning and reused thread ids. */
class CudaActivityTest {
  @Test
  void boundsDropTheOldestAndCount() {
    CudaActivity a = new CudaActivity(1, 2, 1);
    a.add(entry(1, 1, 100));
    a.add(entry(1, 1, 200));
    a.add(entry(1, 1, 300)); // the entry at 100 goes
    a.add(entry(2, 2, 100)); // a second thread: no room
    a.add(wait(1, 1, 10, 20));
    a.add(wait(1, 1, 30, 40)); // the first wait goes
    assertThat(visit(a, 1, 0, 1000)).extracting(CudaSlot::lastNs).containsExactly(200L, 300L);
    List<CudaWait> waits = new ArrayList<>();
    a.waits(1, 0, 1000, waits::add);
    assertThat(waits).extracting(CudaWait::startNs).containsExactly(30L);
    assertThat(a.dropped()).isEqualTo(3);
    assertThat(a.knows(2)).isFalse();
  }

  @Test
  void pruningForgetsOldActivityAndEmptyThreads() {
    CudaActivity a = new CudaActivity(8, 8, 8);
    a.add(entry(1, 1, 100));
    a.add(entry(1, 2, 500));
    a.add(wait(1, 2, 450, 490));
    a.prune(400);
    assertThat(a.threadsOf(1)).containsExactly(2);
    a.prune(1000);
    assertThat(a.knows(1)).isFalse();
  }

  @Test
  void aReusedThreadIdInAnotherProcessIsANewThread() {
    CudaActivity a = new CudaActivity(8, 8, 8);
    a.add(entry(1, 7, 100));
    a.add(entry(2, 7, 200));
    assertThat(a.threadsOf(1)).isEmpty();
    assertThat(visit(a, 7, 0, 1000)).extracting(CudaSlot::pid).containsExactly(2);
    a.retainProcesses(Set.of());
    assertThat(a.knows(2)).isFalse();
  }

  @Test
  void onlyEntriesThatMayLieInTheRangeAreVisited() {
    CudaActivity a = new CudaActivity(8, 8, 8);
    a.add(entry(1, 1, 100));
    a.add(entry(1, 1, 5_000));
    assertThat(visit(a, 1, 150, 4_000)).as("none of the two lies in [150, 4000)").isEmpty();
    assertThat(visit(a, 1, 0, 101)).extracting(CudaSlot::lastNs).containsExactly(100L);
  }

  private static List<CudaSlot> visit(CudaActivity a, int tid, long start, long end) {
    List<CudaSlot> out = new ArrayList<>();
    a.slots(tid, start, end, 1_000, out::add);
    return out;
  }

  private static CudaSlot entry(int pid, int tid, long at) {
    return new CudaSlot(
        at >> 10, pid, tid, CudaCall.LAUNCH_KERNEL, CudaDir.NONE, 1, 0, 1, 0, 0, 0, 0, at, at);
  }

  private static CudaWait wait(int pid, int tid, long start, long end) {
    return new CudaWait(start, end, 1, 0, pid, tid, 0, CudaCall.STREAM_SYNC);
  }
}
