package dev.aiprof.collectors.marker;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.SpanIds;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs begin and end calls into {@link Phase}s: one stack of open phases per thread and origin (an
 * NVTX pop closes the innermost NVTX range, never a marker phase), so a phase's depth is its
 * nesting level among phases of its origin on its thread, and its {@link SpanIds} make it a child
 * span of the phase around it (a root phase starts a trace). Bounded: at most {@code maxThreads}
 * threads and {@code maxDepth} open phases each; what does not fit is counted, never thrown.
 *
 * <p>Not thread-safe: the owner serializes calls.
 */
final class PhaseStacks {
  /** Counts of calls that did not become phases. */
  record Losses(long unmatchedEnds, long tooDeep, long threadsFull, long abandoned) {}

  private final int maxThreads;
  private final int maxDepth;
  private final Map<Integer, ThreadPhases> threads = new HashMap<>();
  private long unmatchedEnds;
  private long tooDeep;
  private long threadsFull;
  private long abandoned;

  PhaseStacks(int maxThreads, int maxDepth) {
    this.maxThreads = maxThreads;
    this.maxDepth = maxDepth;
  }

  /** Opens phase {@code name} on thread {@code tid} of process {@code pid}. */
  void begin(int pid, int tid, PhaseOrigin origin, String name, long startNs) {
    ThreadPhases t = thread(pid, tid);
    if (t == null) {
      threadsFull++;
      return;
    }
    Stack s = t.stack(origin);
    if (s.overflow > 0 || s.depth == maxDepth) {
      s.overflow++;
      tooDeep++;
      return;
    }
    s.push(name, startNs);
  }

  /** Closes the thread's innermost open phase of {@code origin}; null if there is none. */
  Phase end(int pid, int tid, PhaseOrigin origin, long endNs) {
    ThreadPhases t = threads.get(tid);
    Stack s = t == null || t.pid != pid ? null : t.stacks[slot(origin)];
    if (s != null && s.overflow > 0) {
      s.overflow--;
      return null;
    }
    if (s == null || s.depth == 0) {
      unmatchedEnds++;
      return null;
    }
    int depth = --s.depth;
    long start = s.starts[depth];
    String name = s.names[depth];
    SpanIds ids = s.ids[depth];
    s.names[depth] = null;
    s.ids[depth] = null;
    return new Phase(
        name,
        origin,
        pid,
        tid,
        start,
        Math.max(start, endNs),
        depth,
        Attributes.empty(),
        null,
        ids);
  }

  /** Threads with state, as {pid, tid} pairs. */
  List<int[]> threads() {
    List<int[]> out = new ArrayList<>(threads.size());
    threads.forEach((tid, t) -> out.add(new int[] {t.pid, tid}));
    return out;
  }

  /** Drops a thread that exited, with its open phases (counted as abandoned). */
  void forget(int tid) {
    ThreadPhases t = threads.remove(tid);
    if (t != null) {
      abandoned += t.open();
    }
  }

  /** The stack index of an origin: the marker library's two APIs nest apart. */
  static int slot(PhaseOrigin origin) {
    if (origin.equals(PhaseOrigin.MARKER)) {
      return 0;
    }
    if (origin.equals(PhaseOrigin.NVTX)) {
      return 1;
    }
    throw new IllegalArgumentException("not a marker origin: " + origin);
  }

  Losses losses() {
    return new Losses(unmatchedEnds, tooDeep, threadsFull, abandoned);
  }

  private ThreadPhases thread(int pid, int tid) {
    ThreadPhases t = threads.get(tid);
    if (t != null && t.pid != pid) {
      forget(tid); // the tid now belongs to another process: the old thread is gone
      t = null;
    }
    if (t == null) {
      if (threads.size() >= maxThreads) {
        return null;
      }
      t = new ThreadPhases(pid);
      threads.put(tid, t);
    }
    return t;
  }

  private static final class ThreadPhases {
    final int pid;
    final Stack[] stacks = new Stack[2];

    ThreadPhases(int pid) {
      this.pid = pid;
    }

    Stack stack(PhaseOrigin origin) {
      Stack s = stacks[slot(origin)];
      if (s == null) {
        s = stacks[slot(origin)] = new Stack();
      }
      return s;
    }

    long open() {
      long n = 0;
      for (Stack s : stacks) {
        n += s == null ? 0 : s.depth + s.overflow;
      }
      return n;
    }
  }

  /** Open phases; each gets span ids when it opens, a nested one as a child of the outer one. */
  private static final class Stack {
    String[] names = new String[4];
    long[] starts = new long[4];
    SpanIds[] ids = new SpanIds[4];
    int depth;
    int overflow;

    void push(String name, long startNs) {
      if (depth == names.length) {
        names = java.util.Arrays.copyOf(names, depth * 2);
        starts = java.util.Arrays.copyOf(starts, depth * 2);
        ids = java.util.Arrays.copyOf(ids, depth * 2);
      }
      names[depth] = name;
      ids[depth] = depth == 0 ? SpanIds.root() : ids[depth - 1].child();
      starts[depth++] = startNs;
    }
  }
}
