package dev.aiprof.profiler;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent samples of each thread, for phases to take theirs by time: per thread a ring of (time,
 * weight, kind, stack), appended in time order. Bounded: at most {@code maxThreads} threads (the
 * least recently sampled is forgotten) and {@code maxSamples} samples in all (a sample beyond it is
 * refused, counted); samples older than the retention are pruned.
 *
 * <p>Thread-safety: synchronized.
 */
final class Samples {
  /** One sample. */
  record Sample(long timestampNs, long weight, boolean onCpu, int tid, Stack stack, int state) {}

  private final int maxThreads;
  private final int maxSamples;
  private final LinkedHashMap<Integer, Thread> threads;
  private int total;
  private long refused;

  private static final class Thread {
    final int pid;
    final java.util.ArrayDeque<Sample> samples = new java.util.ArrayDeque<>();

    Thread(int pid) {
      this.pid = pid;
    }
  }

  Samples(int maxThreads, int maxSamples) {
    this.maxThreads = maxThreads;
    this.maxSamples = maxSamples;
    this.threads = new LinkedHashMap<>(64, 0.75f, true);
  }

  synchronized void add(int pid, Sample s) {
    if (total >= maxSamples) {
      refused++;
      return;
    }
    Thread t = threads.get(s.tid());
    if (t == null || t.pid != pid) {
      if (t != null) {
        total -= t.samples.size();
      }
      t = new Thread(pid);
      threads.put(s.tid(), t);
      if (threads.size() > maxThreads) {
        Iterator<Thread> it = threads.values().iterator();
        total -= it.next().samples.size();
        it.remove();
      }
    }
    t.samples.addLast(s);
    total++;
  }

  /** The samples of {@code tid} (of {@code pid}) in [from, to]. */
  synchronized List<Sample> of(int pid, int tid, long from, long to) {
    List<Sample> out = new ArrayList<>();
    Thread t = threads.get(tid);
    if (t != null && t.pid == pid) {
      collect(t, from, to, out);
    }
    return out;
  }

  /** The samples of every thread of {@code pid} in [from, to]. */
  synchronized List<Sample> ofProcess(int pid, long from, long to) {
    List<Sample> out = new ArrayList<>();
    for (Thread t : threads.values()) {
      if (t.pid == pid) {
        collect(t, from, to, out);
      }
    }
    return out;
  }

  private static void collect(Thread t, long from, long to, List<Sample> out) {
    for (Sample s : t.samples) {
      long start = s.onCpu() ? s.timestampNs() : s.timestampNs() - s.weight();
      if (s.timestampNs() >= from && start <= to) {
        out.add(s);
      }
    }
  }

  /** Drops samples before {@code beforeNs} and threads left without any. */
  synchronized void prune(long beforeNs) {
    for (Iterator<Map.Entry<Integer, Thread>> it = threads.entrySet().iterator(); it.hasNext(); ) {
      Thread t = it.next().getValue();
      while (!t.samples.isEmpty() && t.samples.peekFirst().timestampNs() < beforeNs) {
        t.samples.removeFirst();
        total--;
      }
      if (t.samples.isEmpty()) {
        it.remove();
      }
    }
  }

  synchronized int size() {
    return total;
  }

  synchronized long refused() {
    return refused;
  }
}
