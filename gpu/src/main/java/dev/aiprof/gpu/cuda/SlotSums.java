package dev.aiprof.gpu.cuda;

import dev.aiprof.bpf.cuda.CudaCallKind;
import dev.aiprof.bpf.cuda.CudaDir;
import dev.aiprof.bpf.cuda.CudaSlot;

/**
 * What one thread did in CUDA during one time slot, summed over calls: the unit the phase signal
 * attributes (pro rata to a phase's overlap with the slot). Mutable; guarded by its owner.
 */
final class SlotSums {
  final long slot;
  long launches;
  long copies;
  final long[] bytesByDir = new long[CudaDir.values().length];
  long syncs;

  /** Time in synchronisation calls below the event threshold (longer ones are events). */
  long shortSyncNs;

  long errors;

  SlotSums(long slot) {
    this.slot = slot;
  }

  void add(CudaSlot s) {
    errors += s.errors();
    CudaCallKind kind = s.call() == null ? null : s.call().kind();
    if (kind == null) {
      return;
    }
    switch (kind) {
      case LAUNCH -> launches += s.calls();
      case COPY -> {
        copies += s.calls();
        bytesByDir[s.dir().code()] += s.bytes();
      }
      case SYNC -> {
        syncs += s.calls();
        shortSyncNs += s.shortNs();
      }
      default -> {}
    }
  }

  long copyBytes() {
    long sum = 0;
    for (long b : bytesByDir) {
      sum += b;
    }
    return sum;
  }
}
