package dev.aiprof.gpu.cuda;

import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.cuda.CudaDir;
import dev.aiprof.bpf.cuda.CudaSlot;
import dev.aiprof.bpf.cuda.CudaWait;
import java.util.ArrayList;
import java.util.List;

/**
 * A phase's CUDA activity on its threads, computed from {@link ThreadActivity}: long waits (events)
 * by their exact overlap with the phase; everything else (launches, copies, bytes, waits below the
 * event threshold) from the statistics entries whose calls lie in the phase: an entry's calls lie
 * between its first and last call, so an entry inside the phase counts whole, and one that
 * straddles a boundary by the share of {@code [first, last]} inside. Values are doubles until
 * reported.
 */
final class PhaseCuda {
  double launches;
  double copies;
  final double[] bytesByDir = new double[CudaDir.values().length];
  double syncs;
  double syncNs;
  double errors;
  final List<CudaWait> waits = new ArrayList<>();

  /** The activity of threads {@code tids} of {@code pid} in {@code [startNs, endNs)}. */
  static PhaseCuda of(
      ThreadActivity<Integer, CudaSlot, CudaWait> a,
      int pid,
      List<Integer> tids,
      long startNs,
      long endNs,
      long slotNs) {
    PhaseCuda p = new PhaseCuda();
    for (int tid : tids) {
      a.slots(pid, tid, startNs, endNs, slotNs, s -> p.add(s, share(s, startNs, endNs)));
      a.events(
          pid,
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

  /** The share of an entry's calls in {@code [start, end)}: of {@code [first, last]} inside. */
  static double share(CudaSlot s, long start, long end) {
    long last = Math.max(s.firstNs(), s.lastNs()) + 1; // half-open; a single call is one ns
    return overlap(s.firstNs(), last, start, end) / (double) (last - s.firstNs());
  }

  private void add(CudaSlot s, double share) {
    if (share <= 0 || s.call() == null) {
      return;
    }
    errors += s.errors() * share;
    switch (s.call().kind()) {
      case LAUNCH -> launches += s.calls() * share;
      case COPY -> {
        copies += s.calls() * share;
        bytesByDir[s.dir().code()] += s.bytes() * share;
      }
      case SYNC -> {
        syncs += s.calls() * share;
        syncNs += s.shortNs() * share;
      }
      default -> {}
    }
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
