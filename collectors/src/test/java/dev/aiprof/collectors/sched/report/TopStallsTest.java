package dev.aiprof.collectors.sched.report;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedAbi;
import dev.aiprof.bpf.sched.SchedEventView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class TopStallsTest {
  private final Arena arena = Arena.ofAuto();

  private SchedEventView event(int pid, OffCpuKind kind, long offNs, long runqNs) {
    MemorySegment e = arena.allocate(SchedAbi.EVENT);
    SchedAbi.EVENT.varHandle(groupElement("pid")).set(e, 0L, pid);
    SchedAbi.EVENT.varHandle(groupElement("tid")).set(e, 0L, pid + 1);
    SchedAbi.EVENT.varHandle(groupElement("kind")).set(e, 0L, (byte) kind.code());
    SchedAbi.EVENT.varHandle(groupElement("offcpu_ts")).set(e, 0L, 1_000L);
    SchedAbi.EVENT.varHandle(groupElement("runnable_ts")).set(e, 0L, 1_000L + offNs);
    SchedAbi.EVENT.varHandle(groupElement("oncpu_ts")).set(e, 0L, 1_000L + offNs + runqNs);
    return new SchedEventView().at(e.address());
  }

  @Test
  void keepsTheLongestInvoluntaryWaitsOfTheFilteredProcess() {
    TopStalls top = new TopStalls(2, e -> e.pid() == 10);
    top.onEpisode(event(10, OffCpuKind.SLEEP, 5_000_000_000L, 100)); // a long voluntary sleep
    top.onEpisode(event(10, OffCpuKind.BLOCKED, 30_000_000, 1_000));
    top.onEpisode(event(10, OffCpuKind.PREEMPTED, 0, 8_000_000));
    top.onEpisode(event(10, OffCpuKind.PREEMPTED, 0, 2_000_000));
    top.onEpisode(event(99, OffCpuKind.BLOCKED, 900_000_000, 0)); // another process
    assertThat(top.seen()).isEqualTo(4);
    assertThat(top.longestFirst())
        .extracting(Stall::involuntaryNs)
        .containsExactly(30_001_000L, 8_000_000L);
    assertThat(top.longestFirst().get(0).kind()).isEqualTo(OffCpuKind.BLOCKED);
  }

  @Test
  void sleepCountsOnlyItsRunqueueWait() {
    assertThat(new Stall(1, 1, 1, OffCpuKind.SLEEP, 1_000_000, 500, 0, 0, 0).involuntaryNs())
        .isEqualTo(500);
    assertThat(new Stall(1, 1, 1, OffCpuKind.BLOCKED, 1_000_000, 500, 0, 0, 0).involuntaryNs())
        .isEqualTo(1_000_500);
  }
}
