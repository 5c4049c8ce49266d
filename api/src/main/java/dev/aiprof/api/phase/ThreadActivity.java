package dev.aiprof.api.phase;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Recent activity per thread, for describing phases: slot entries (one thread's counts in one time
 * slot, with the times of the first and last thing counted) and events (one operation, from start
 * to end), each kept while newer than the caller's retention ({@link #prune}). A thread belongs to
 * one process; a tid seen again under another process is a new thread (the old one's activity is
 * forgotten), and queries name the process, so a reused tid or pid never lends one process's
 * activity to another.
 *
 * <p>Bounds: {@code maxThreads} threads, {@code maxSlots} entries and {@code maxEvents} events
 * each; the oldest goes first, and every drop is counted ({@link #dropped()}).
 *
 * <p>Thread-safety: every method is synchronized (drains, a ring poller and the engine use it).
 *
 * @param <P> what names a process: a {@link dev.aiprof.api.follow.ProcessKey} where the source
 *     knows start times, else a pid
 * @param <S> the slot entries
 * @param <E> the events
 */
public final class ThreadActivity<
    P, S extends ThreadActivity.Slot<P>, E extends ThreadActivity.Event<P>> {
  /** One thread's counts over {@code [firstNs, lastNs]} (CLOCK_MONOTONIC), within one slot. */
  public interface Slot<P> {
    P process();

    int tid();

    long firstNs();

    long lastNs();
  }

  /** One operation of one thread over {@code [startNs, endNs)} (CLOCK_MONOTONIC). */
  public interface Event<P> {
    P process();

    int tid();

    long startNs();

    long endNs();
  }

  private final int maxThreads;
  private final int maxSlots;
  private final int maxEvents;
  private final Map<Integer, Track<P, S, E>> threads = new HashMap<>();
  private final Map<P, List<Integer>> threadsByProcess = new HashMap<>();
  private long dropped;

  private static final class Track<P, S, E> {
    final P process;

    /** Entries by the time of their last counted thing. */
    final TreeMap<Long, List<S>> slots = new TreeMap<>();

    int entries;
    final ArrayDeque<E> events = new ArrayDeque<>();

    Track(P process) {
      this.process = process;
    }
  }

  public ThreadActivity(int maxThreads, int maxSlots, int maxEvents) {
    this.maxThreads = maxThreads;
    this.maxSlots = maxSlots;
    this.maxEvents = maxEvents;
  }

  public synchronized void addSlot(S s) {
    Track<P, S, E> t = thread(s.process(), s.tid());
    if (t == null) {
      return;
    }
    if (t.entries >= maxSlots) {
      List<S> oldest = t.slots.firstEntry().getValue();
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

  public synchronized void addEvent(E e) {
    Track<P, S, E> t = thread(e.process(), e.tid());
    if (t == null) {
      return;
    }
    if (t.events.size() >= maxEvents) {
      t.events.pollFirst();
      dropped++;
    }
    t.events.addLast(e);
  }

  private Track<P, S, E> thread(P process, int tid) {
    Track<P, S, E> t = threads.get(tid);
    if (t != null && t.process.equals(process)) {
      return t;
    }
    if (t != null) {
      forget(tid); // a reused tid: a new thread
    }
    if (threads.size() >= maxThreads) {
      dropped++;
      return null;
    }
    t = new Track<>(process);
    threads.put(tid, t);
    threadsByProcess.computeIfAbsent(process, p -> new ArrayList<>()).add(tid);
    return t;
  }

  /** Threads of {@code process} with any recorded activity. */
  public synchronized List<Integer> threadsOf(P process) {
    return List.copyOf(threadsByProcess.getOrDefault(process, List.of()));
  }

  /** Whether {@code process} has any recorded activity. */
  public synchronized boolean knows(P process) {
    return threadsByProcess.containsKey(process);
  }

  /**
   * Visits the entries of thread {@code tid} of {@code process} whose activity may lie in {@code
   * [startNs, endNs)}: those whose last counted thing came at or after the start and that began
   * before the end (an entry spans at most {@code slotNs}).
   */
  public synchronized void slots(
      P process, int tid, long startNs, long endNs, long slotNs, Consumer<S> visit) {
    Track<P, S, E> t = track(process, tid);
    if (t == null) {
      return;
    }
    for (Map.Entry<Long, List<S>> e : t.slots.tailMap(startNs, true).entrySet()) {
      if (e.getKey() - slotNs >= endNs) {
        return;
      }
      for (S s : e.getValue()) {
        if (s.firstNs() < endNs) {
          visit.accept(s);
        }
      }
    }
  }

  /**
   * Visits the events of thread {@code tid} of {@code process} that overlap {@code [startNs,
   * endNs)}.
   */
  public synchronized void events(P process, int tid, long startNs, long endNs, Consumer<E> visit) {
    Track<P, S, E> t = track(process, tid);
    if (t != null) {
      for (E e : t.events) {
        if (e.endNs() > startNs && e.startNs() < endNs) {
          visit.accept(e);
        }
      }
    }
  }

  private Track<P, S, E> track(P process, int tid) {
    Track<P, S, E> t = threads.get(tid);
    return t != null && t.process.equals(process) ? t : null;
  }

  /** Drops what ended before {@code ns}, and threads left with nothing. */
  public synchronized void prune(long ns) {
    Iterator<Map.Entry<Integer, Track<P, S, E>>> it = threads.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Track<P, S, E>> e = it.next();
      Track<P, S, E> t = e.getValue();
      var old = t.slots.headMap(ns);
      old.values().forEach(l -> t.entries -= l.size());
      old.clear();
      t.events.removeIf(ev -> ev.endNs() < ns);
      if (t.slots.isEmpty() && t.events.isEmpty()) {
        it.remove();
        unlink(t.process, e.getKey());
      }
    }
  }

  /** Forgets every thread of the processes {@code alive} says have exited. */
  public synchronized void retainProcesses(Predicate<P> alive) {
    for (P p : List.copyOf(threadsByProcess.keySet())) {
      if (!alive.test(p)) {
        threadsByProcess.remove(p).forEach(threads::remove);
      }
    }
  }

  private void forget(int tid) {
    Track<P, S, E> t = threads.remove(tid);
    if (t != null) {
      unlink(t.process, tid);
    }
  }

  private void unlink(P process, int tid) {
    List<Integer> tids = threadsByProcess.get(process);
    if (tids != null) {
      tids.remove((Integer) tid);
      if (tids.isEmpty()) {
        threadsByProcess.remove(process);
      }
    }
  }

  /** Entries, events and threads dropped for a bound. */
  public synchronized long dropped() {
    return dropped;
  }
}
