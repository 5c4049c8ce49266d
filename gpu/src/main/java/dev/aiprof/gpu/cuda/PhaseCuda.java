package dev.aiprof.gpu.cuda;

import dev.aiprof.bpf.cuda.CudaDir;
import dev.aiprof.bpf.cuda.CudaWait;
import java.util.ArrayList;
import java.util.List;

/**
 * A phase's CUDA activity on its threads, computed from {@link CudaActivity}: long waits (events)
 * by their exact overlap with the phase; everything else (launches, copies, bytes, waits below the
 * event threshold) from the time slots the phase overlaps, each slot counted by the fraction of it
 * inside the phase. Values are doubles until reported (a slot split between two phases gives each
 * its share).
 */
final class PhaseCuda {
  double launches;
  double copies;
  final double[] bytesByDir = new double[CudaDir.values().length];
  double syncs;
  double syncNs;
  double errors;
  final List<CudaWait> waits = new ArrayList<>();

  /** The activity of {@code tids} in {@code [startNs, endNs)}. */
  static PhaseCuda of(CudaActivity a, List<Integer> tids, long startNs, long endNs, int shift) {
    PhaseCuda p = new PhaseCuda();
    long slotNs = 1L << shift;
    for (int tid : tids) {
      a.slots(
          tid,
          startNs >>> shift,
          Math.max(startNs, endNs - 1) >>> shift,
          s ->
              p.addSlot(
                  s,
                  overlap(s.slot << shift, (s.slot << shift) + slotNs, startNs, endNs)
                      / (double) slotNs));
      a.waits(
          tid,
          startNs,
          endNs,
          w -> {
            p.waits.add(w);
            p.syncNs += overlap(w.startNs(), w.endNs(), startNs, endNs);
          });
    }
    return p;
  }

  private void addSlot(SlotSums s, double share) {
    if (share <= 0) {
      return;
    }
    launches += s.launches * share;
    copies += s.copies * share;
    for (int d = 0; d < bytesByDir.length; d++) {
      bytesByDir[d] += s.bytesByDir[d] * share;
    }
    syncs += s.syncs * share;
    syncNs += s.shortSyncNs * share;
    errors += s.errors * share;
  }

  static long overlap(long aStart, long aEnd, long bStart, long bEnd) {
    return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));
  }

  long bytes(CudaDir d) {
    return Math.round(bytesByDir[d.code()]);
  }

  long totalBytes() {
    double sum = 0;
    for (double b : bytesByDir) {
      sum += b;
    }
    return Math.round(sum);
  }
}
