package dev.aiprof.io.file;

import dev.aiprof.bpf.fileio.FileIoSlot;
import dev.aiprof.bpf.fileio.SlowRead;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Recent file I/O per thread of followed processes, for describing phases: the drained slot entries
 * ({@link FileIoSlot}: a thread's I/O in one time slot, with the times of its first and last
 * operation) and the slow reads ({@link SlowRead} events), each kept while newer than the
 * retention.
 *
 * <p>Bounds: {@code maxThreads} threads, {@code maxSlots} entries and {@code maxReads} slow reads
 * each; the oldest goes first, and every drop is counted ({@link #dropped()}).
 *
 * <p>Thread-safety: every method is synchronized (the drain, the ring poller and the engine).
 */
final class FileIoActivity {
  private final int maxThreads;
  private final int maxSlots;
  private final int maxReads;
  private final Map<Integer, Track> threads = new HashMap<>();
  private final Map<Integer, List<Integer>> threadsByPid = new HashMap<>();
  private long dropped;

  private static final class Track {
    final int pid;

    /** Entries by the time of their last operation. */
    final TreeMap<Long, List<FileIoSlot>> slots = new TreeMap<>();

    int entries;
    final ArrayDeque<SlowRead> reads = new ArrayDeque<>();

    Track(int pid) {
      this.pid = pid;
    }
  }

  FileIoActivity(int maxThreads, int maxSlots, int maxReads) {
    this.maxThreads = maxThreads;
    this.maxSlots = maxSlots;
    this.maxReads = maxReads;
  }

  synchronized void add(FileIoSlot s) {
    Track t = thread(s.pid(), s.tid());
    if (t == null) {
      return;
    }
    if (t.entries >= maxSlots) {
      List<FileIoSlot> oldest = t.slots.firstEntry().getValue();
      oldest.removeFirst();
      if (oldest.isEmpty()) {
        t.slots.pollFirstEntry();
      }
      t.entries--;
      dropped++;
    }
    t.slots.computeIfAbsent(s.lastNs(), k -> new ArrayList<>(2)).add(s);
    t.entries++;
  }

  /** A slow read of a followed thread (others are only counted in the workload's totals). */
  synchronized void add(SlowRead r) {
    if (!r.followed()) {
      return;
    }
    Track t = thread(r.pid(), r.tid());
    if (t == null) {
      return;
    }
    if (t.reads.size() >= maxReads) {
      t.reads.pollFirst();
      dropped++;
    }
    t.reads.addLast(r);
  }

  private Track thread(int pid, int tid) {
    Track t = threads.get(tid);
    if (t != null && t.pid == pid) {
      return t;
    }
    if (t != null) {
      forget(tid); // a reused tid: a new thread
    }
    if (threads.size() >= maxThreads) {
      dropped++;
      return null;
    }
    t = new Track(pid);
    threads.put(tid, t);
    threadsByPid.computeIfAbsent(pid, p -> new ArrayList<>()).add(tid);
    return t;
  }

  /** Threads of {@code pid} with any recorded I/O. */
  synchronized List<Integer> threadsOf(int pid) {
    return List.copyOf(threadsByPid.getOrDefault(pid, List.of()));
  }

  /**
   * Visits the entries of {@code tid} whose I/O may lie in {@code [startNs, endNs)}: those whose
   * last operation came at or after the start and that began before the end.
   */
  synchronized void slots(
      int tid, long startNs, long endNs, long slotNs, Consumer<FileIoSlot> visit) {
    Track t = threads.get(tid);
    if (t == null) {
      return;
    }
    for (Map.Entry<Long, List<FileIoSlot>> e : t.slots.tailMap(startNs, true).entrySet()) {
      if (e.getKey() - slotNs >= endNs) {
        return;
      }
      for (FileIoSlot s : e.getValue()) {
        if (s.firstNs() < endNs) {
          visit.accept(s);
        }
      }
    }
  }

  /** Visits the slow reads of {@code tid} that overlap {@code [startNs, endNs)}. */
  synchronized void reads(int tid, long startNs, long endNs, Consumer<SlowRead> visit) {
    Track t = threads.get(tid);
    if (t != null) {
      for (SlowRead r : t.reads) {
        if (r.endNs() > startNs && r.startNs() < endNs) {
          visit.accept(r);
        }
      }
    }
  }

  /** Drops what ended before {@code ns}, and threads left with nothing. */
  synchronized void prune(long ns) {
    Iterator<Map.Entry<Integer, Track>> it = threads.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Track> e = it.next();
      Track t = e.getValue();
      var old = t.slots.headMap(ns);
      old.values().forEach(l -> t.entries -= l.size());
      old.clear();
      t.reads.removeIf(r -> r.endNs() < ns);
      if (t.slots.isEmpty() && t.reads.isEmpty()) {
        it.remove();
        unlink(t.pid, e.getKey());
      }
    }
  }

  private void forget(int tid) {
    Track t = threads.remove(tid);
    if (t != null) {
      unlink(t.pid, tid);
    }
  }

  private void unlink(int pid, int tid) {
    List<Integer> tids = threadsByPid.get(pid);
    if (tids != null) {
      tids.remove((Integer) tid);
      if (tids.isEmpty()) {
        threadsByPid.remove(pid);
      }
    }
  }

  /** Slots, slow reads and threads dropped for a bound. */
  synchronized long dropped() {
    return dropped;
  }
}
