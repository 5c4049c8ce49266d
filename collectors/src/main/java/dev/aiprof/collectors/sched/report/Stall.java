package dev.aiprof.collectors.sched.report;

import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedEventView;

/**
 * One long off-CPU episode of a thread, copied out of the ring buffer: how long it waited for
 * something ({@code offNs}, by kind) and then for a CPU ({@code runqueueNs}).
 */
public record Stall(
    int pid,
    int tid,
    long cgroupId,
    OffCpuKind kind,
    long offNs,
    long runqueueNs,
    int wakerPid,
    int wakerTid,
    long endTs) {

  public static Stall of(SchedEventView e) {
    return new Stall(
        e.pid(),
        e.tid(),
        e.cgroupId(),
        e.kind(),
        e.offCpuNs(),
        e.runqueueNs(),
        e.wakerPid(),
        e.wakerTid(),
        e.oncpuTs());
  }

  /**
   * The part of the episode the thread did not choose: the runqueue wait, plus the wait itself when
   * it was blocked in uninterruptible (I/O) sleep. Voluntary sleeps (timers, idle pools) count only
   * for their runqueue wait.
   */
  public long involuntaryNs() {
    return runqueueNs + (kind == OffCpuKind.BLOCKED ? offNs : 0);
  }

  static long involuntaryNsOf(SchedEventView e) {
    return e.runqueueNs() + (e.kind() == OffCpuKind.BLOCKED ? e.offCpuNs() : 0);
  }
}
