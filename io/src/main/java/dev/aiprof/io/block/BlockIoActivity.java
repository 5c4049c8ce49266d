package dev.aiprof.io.block;

import dev.aiprof.bpf.blockio.BlockIoRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The recent block requests of followed processes' threads, by tid, for describing phases; and the
 * most recent slow requests of anyone, for the report. Bounded: {@code maxThreads} threads × {@code
 * perThread} requests (a new thread past the bound is dropped, a thread's oldest request goes when
 * it is full; both counted), {@code maxSlow} slow requests. {@link #prune} forgets what ended
 * before the retention. Thread-safe (synchronized): the ring poller adds, the engine reads.
 */
final class BlockIoActivity {
  private final int maxThreads;
  private final int perThread;
  private final int maxSlow;
  private final Map<Integer, ArrayDeque<BlockIoRequest>> byTid = new HashMap<>();
  private final Map<Integer, Integer> pidOf = new HashMap<>();
  private final ArrayDeque<BlockIoRequest> slow = new ArrayDeque<>();
  private long droppedThreads;
  private long droppedRequests;

  BlockIoActivity(int maxThreads, int perThread, int maxSlow) {
    this.maxThreads = maxThreads;
    this.perThread = perThread;
    this.maxSlow = maxSlow;
  }

  synchronized void add(BlockIoRequest r) {
    if (r.slow()) {
      if (slow.size() == maxSlow) {
        slow.removeFirst();
      }
      slow.addLast(r);
    }
    if (!r.followed()) {
      return;
    }
    ArrayDeque<BlockIoRequest> q = byTid.get(r.tid());
    if (q == null) {
      if (byTid.size() >= maxThreads) {
        droppedThreads++;
        return;
      }
      q = new ArrayDeque<>();
      byTid.put(r.tid(), q);
      pidOf.put(r.tid(), r.pid());
    }
    if (q.size() == perThread) {
      q.removeFirst();
      droppedRequests++;
    }
    q.addLast(r);
  }

  /**
   * The requests of {@code tid} whose time from start to completion overlaps {@code [from, to)}.
   */
  synchronized List<BlockIoRequest> of(int tid, long from, long to) {
    List<BlockIoRequest> out = new ArrayList<>();
    ArrayDeque<BlockIoRequest> q = byTid.get(tid);
    if (q != null) {
      for (BlockIoRequest r : q) {
        if (r.endNs() > from && r.startNs() < to) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Threads of {@code pid} with requests kept. */
  synchronized List<Integer> threadsOf(int pid) {
    List<Integer> out = new ArrayList<>();
    pidOf.forEach(
        (tid, p) -> {
          if (p == pid) {
            out.add(tid);
          }
        });
    return out;
  }

  /** Whether requests of {@code pid}'s threads are kept (it was followed when it made them). */
  synchronized boolean holds(int pid) {
    return pidOf.containsValue(pid);
  }

  /** Slow requests that ended in {@code [from, to)}, oldest first. */
  synchronized List<BlockIoRequest> slow(long from, long to) {
    return slow.stream().filter(r -> r.endNs() >= from && r.endNs() < to).toList();
  }

  /** Forgets requests that ended before {@code beforeNs}, and threads left with none. */
  synchronized void prune(long beforeNs) {
    Iterator<Map.Entry<Integer, ArrayDeque<BlockIoRequest>>> it = byTid.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, ArrayDeque<BlockIoRequest>> e = it.next();
      ArrayDeque<BlockIoRequest> q = e.getValue();
      while (!q.isEmpty() && q.peekFirst().endNs() < beforeNs) {
        q.removeFirst();
      }
      if (q.isEmpty()) {
        pidOf.remove(e.getKey());
        it.remove();
      }
    }
  }

  synchronized long droppedThreads() {
    return droppedThreads;
  }

  synchronized long droppedRequests() {
    return droppedRequests;
  }

  synchronized int threads() {
    return byTid.size();
  }
}
