package dev.aiprof.io.file;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.fileio.FileIoSlot;
import dev.aiprof.bpf.fileio.SlowRead;
import java.util.ArrayList;
import java.util.List;

/**
 * A phase's file I/O on its threads, from {@link ThreadActivity}: the slot entries whose operations
 * lie in the phase count whole; one that straddles a boundary counts by the share of its
 * first-to-last interval inside (exact whenever a boundary does not fall between two operations of
 * a thread in one slot). Values are doubles until reported.
 */
final class PhaseFileIo {
  double reads;
  double readBytes;
  double readNs;
  double writes;
  double writeBytes;
  double misses;
  double readahead;
  double majorFaults;
  final List<SlowRead> slow = new ArrayList<>();

  /** The I/O of threads {@code tids} of {@code process} in {@code [startNs, endNs)}. */
  static PhaseFileIo of(
      ThreadActivity<ProcessKey, FileIoSlot, SlowRead> a,
      ProcessKey process,
      List<Integer> tids,
      long startNs,
      long endNs,
      long slotNs) {
    PhaseFileIo p = new PhaseFileIo();
    for (int tid : tids) {
      a.slots(process, tid, startNs, endNs, slotNs, s -> p.add(s, share(s, startNs, endNs)));
      a.events(process, tid, startNs, endNs, p.slow::add);
    }
    return p;
  }

  /** The share of an entry's operations in {@code [start, end)}: of {@code [first, last]}. */
  static double share(FileIoSlot s, long start, long end) {
    long last = Math.max(s.firstNs(), s.lastNs()) + 1; // half-open; a single operation is one ns
    long overlap = Math.max(0, Math.min(last, end) - Math.max(s.firstNs(), start));
    return overlap / (double) (last - s.firstNs());
  }

  private void add(FileIoSlot s, double share) {
    if (share <= 0) {
      return;
    }
    reads += s.reads() * share;
    readBytes += s.readBytes() * share;
    readNs += s.readNs() * share;
    writes += s.writes() * share;
    writeBytes += s.writeBytes() * share;
    misses += s.misses() * share;
    readahead += s.readahead() * share;
    majorFaults += s.majorFaults() * share;
  }
}
