package dev.aiprof.gpu.cuda;

import dev.aiprof.bpf.cuda.CudaSlot;
import dev.aiprof.bpf.cuda.CudaWait;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Recent CUDA activity per thread, for describing phases: the drained statistics entries ({@link
 * CudaSlot}: one function's calls in one time slot, with the times of the first and last) and the
 * long waits ({@link CudaWait} events), each kept while newer than the retention and bounded in
 * count. What exceeds a bound is dropped and counted ({@link #dropped()}).
 *
 * <p>Bounds: {@code maxThreads} threads, {@code maxSlots} entries and {@code maxWaits} waits each.
 *
 * <p>Thread-safety: every method is synchronized (drains, the ring poller and the engine use it).
 */
final class CudaActivity {
  private final int maxThreads;
  private final int maxSlots;
  private final int maxWaits;
  private final Map<Integer, Track> threads = new HashMap<>();
  private final Map<Integer, List<Integer>> threadsByPid = new HashMap<>();
  private long dropped;

  private static final class Track {
    final int pid;

    /** Entries by the time of their last call. */
    final TreeMap<Long, List<CudaSlot>> slots = new TreeMap<>();

    int entries;
    final ArrayDeque<CudaWait> waits = new ArrayDeque<>();

    Track(int pid) {
      this.pid = pid;
    }
  }

  CudaActivity(int maxThreads, int maxSlots, int maxWaits) {
    this.maxThreads = maxThreads;
    this.maxSlots = maxSlots;
    this.maxWaits = maxWaits;
  }

  synchronized void add(CudaSlot s) {
    Track t = thread(s.pid(), s.tid());
    if (t == null) {
      return;
    }
    if (t.entries >= maxSlots) {
      List<CudaSlot> oldest = t.slots.firstEntry().getValue();
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

  synchronized void add(CudaWait w) {
    Track t = thread(w.pid(), w.tid());
    if (t == null) {
      return;
    }
    if (t.waits.size() >= maxWaits) {
      t.waits.pollFirst();
      dropped++;
    }
    t.waits.addLast(w);
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

  /** Threads of {@code pid} with any recorded activity. */
  synchronized List<Integer> threadsOf(int pid) {
    return List.copyOf(threadsByPid.getOrDefault(pid, List.of()));
  }

  /** Whether {@code pid} has any recorded activity. */
  synchronized boolean knows(int pid) {
    return threadsByPid.containsKey(pid);
  }

  /**
   * Visits the entries of {@code tid} whose calls may lie in {@code [startNs, endNs)}: those whose
   * last call came at or after the start and that began before the end (an entry spans at most
   * {@code slotNs}).
   */
  synchronized void slots(
      int tid, long startNs, long endNs, long slotNs, Consumer<CudaSlot> visit) {
    Track t = threads.get(tid);
    if (t == null) {
      return;
    }
    for (Map.Entry<Long, List<CudaSlot>> e : t.slots.tailMap(startNs, true).entrySet()) {
      if (e.getKey() - slotNs >= endNs) {
        return;
      }
      for (CudaSlot s : e.getValue()) {
        if (s.firstNs() < endNs) {
          visit.accept(s);
        }
      }
    }
  }

  /** Visits the long waits of {@code tid} that overlap {@code [startNs, endNs)}. */
  synchronized void waits(int tid, long startNs, long endNs, Consumer<CudaWait> visit) {
    Track t = threads.get(tid);
    if (t != null) {
      for (CudaWait w : t.waits) {
        if (w.endNs() > startNs && w.startNs() < endNs) {
          visit.accept(w);
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
      t.waits.removeIf(w -> w.endNs() < ns);
      if (t.slots.isEmpty() && t.waits.isEmpty()) {
        it.remove();
        unlink(t.pid, e.getKey());
      }
    }
  }

  /** Forgets every thread of processes that exited. */
  synchronized void retainProcesses(java.util.Set<Integer> live) {
    for (Integer pid : List.copyOf(threadsByPid.keySet())) {
      if (!live.contains(pid)) {
        threadsByPid.remove(pid).forEach(threads::remove);
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

  /** Slots, waits and threads dropped for a bound. */
  synchronized long dropped() {
    return dropped;
  }
}
