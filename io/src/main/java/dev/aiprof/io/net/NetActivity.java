package dev.aiprof.io.net;

import dev.aiprof.bpf.net.NetSlot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Recent TCP traffic of followed threads, for describing phases: the drained slot entries ({@link
 * NetSlot}: one thread's bytes and retransmits in one time slot, with the times of the first and
 * last), kept while newer than the retention.
 *
 * <p>Bounds: {@code maxThreads} threads and {@code maxSlots} entries each (the oldest goes first);
 * what exceeds one is dropped and counted ({@link #dropped()}).
 *
 * <p>Thread-safety: every method is synchronized (the drain adds, the engine reads).
 */
final class NetActivity {
  private final int maxThreads;
  private final int maxSlots;
  private final Map<Integer, Track> threads = new HashMap<>();
  private final Map<Integer, List<Integer>> threadsByPid = new HashMap<>();
  private long dropped;

  private record Track(int pid, ArrayDeque<NetSlot> slots) {}

  NetActivity(int maxThreads, int maxSlots) {
    this.maxThreads = maxThreads;
    this.maxSlots = maxSlots;
  }

  synchronized void add(NetSlot s) {
    Track t = threads.get(s.tid());
    if (t != null && t.pid() != s.pid()) {
      forget(s.tid()); // a reused tid: a new thread
      t = null;
    }
    if (t == null) {
      if (threads.size() >= maxThreads) {
        dropped++;
        return;
      }
      t = new Track(s.pid(), new ArrayDeque<>());
      threads.put(s.tid(), t);
      threadsByPid.computeIfAbsent(s.pid(), p -> new ArrayList<>()).add(s.tid());
    }
    if (t.slots().size() >= maxSlots) {
      t.slots().pollFirst();
      dropped++;
    }
    t.slots().addLast(s);
  }

  /** Threads of {@code pid} with any recorded traffic. */
  synchronized List<Integer> threadsOf(int pid) {
    return List.copyOf(threadsByPid.getOrDefault(pid, List.of()));
  }

  /** Visits the entries of {@code tid} whose traffic may lie in {@code [startNs, endNs)}. */
  synchronized void slots(int tid, long startNs, long endNs, Consumer<NetSlot> visit) {
    Track t = threads.get(tid);
    if (t == null) {
      return;
    }
    for (NetSlot s : t.slots()) {
      if (s.lastNs() >= startNs && s.firstNs() < endNs) {
        visit.accept(s);
      }
    }
  }

  /** Drops entries whose last traffic came before {@code ns}, and threads left with none. */
  synchronized void prune(long ns) {
    Iterator<Map.Entry<Integer, Track>> it = threads.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Track> e = it.next();
      e.getValue().slots().removeIf(s -> s.lastNs() < ns);
      if (e.getValue().slots().isEmpty()) {
        it.remove();
        unlink(e.getValue().pid(), e.getKey());
      }
    }
  }

  /** Forgets every thread of processes not in {@code live}. */
  synchronized void retainProcesses(Set<Integer> live) {
    for (Integer pid : List.copyOf(threadsByPid.keySet())) {
      if (!live.contains(pid)) {
        threadsByPid.remove(pid).forEach(threads::remove);
      }
    }
  }

  private void forget(int tid) {
    Track t = threads.remove(tid);
    if (t != null) {
      unlink(t.pid(), tid);
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

  /** Entries and threads dropped for a bound. */
  synchronized long dropped() {
    return dropped;
  }
}
