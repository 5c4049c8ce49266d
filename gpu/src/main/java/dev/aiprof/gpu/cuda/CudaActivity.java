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
 * Recent CUDA activity per thread, for describing phases: the drained time slots ({@link SlotSums})
 * and the long waits ({@link CudaWait} events), each kept while newer than the retention and
 * bounded in count. What exceeds a bound is dropped and counted ({@link #dropped()}).
 *
 * <p>Bounds: {@code maxThreads} threads, {@code maxSlots} slots and {@code maxWaits} waits each.
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
    final TreeMap<Long, SlotSums> slots = new TreeMap<>();
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
    SlotSums sums = t.slots.get(s.slot());
    if (sums == null) {
      if (t.slots.size() >= maxSlots) {
        t.slots.pollFirstEntry();
        dropped++;
      }
      sums = new SlotSums(s.slot());
      t.slots.put(s.slot(), sums);
    }
    sums.add(s);
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

  /** Visits the slots of {@code tid} that overlap {@code [fromSlot, toSlot]}. */
  synchronized void slots(int tid, long fromSlot, long toSlot, Consumer<SlotSums> visit) {
    Track t = threads.get(tid);
    if (t != null) {
      t.slots.subMap(fromSlot, true, toSlot, true).values().forEach(visit);
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

  /** Drops what ended before {@code slot} (and {@code ns}), and threads left with nothing. */
  synchronized void prune(long slot, long ns) {
    Iterator<Map.Entry<Integer, Track>> it = threads.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Track> e = it.next();
      Track t = e.getValue();
      t.slots.headMap(slot).clear();
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
