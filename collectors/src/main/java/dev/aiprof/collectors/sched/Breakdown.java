package dev.aiprof.collectors.sched;

import dev.aiprof.bpf.sched.OffCpuKind;

/**
 * Where a thread's (or a process's, summed over threads) time went during an interval, in
 * nanoseconds: on a CPU, waiting on a runqueue, off-CPU by kind (the wait before becoming
 * runnable), or stolen: on a CPU by the guest's view, but with the vCPU taken by the hypervisor.
 * {@code knownNs} is the part of the interval the timeline covers; the parts add up to it.
 */
public record Breakdown(long onCpuNs, long runqueueNs, long[] offNs, long stealNs, long knownNs) {
  public static Breakdown empty() {
    return new Breakdown(0, 0, new long[OffCpuKind.values().length], 0, 0);
  }

  public long offNs(OffCpuKind kind) {
    return offNs[kind.code()];
  }

  public Breakdown plus(Breakdown o) {
    long[] off = offNs.clone();
    for (int i = 0; i < off.length; i++) {
      off[i] += o.offNs[i];
    }
    return new Breakdown(
        onCpuNs + o.onCpuNs,
        runqueueNs + o.runqueueNs,
        off,
        stealNs + o.stealNs,
        knownNs + o.knownNs);
  }
}
