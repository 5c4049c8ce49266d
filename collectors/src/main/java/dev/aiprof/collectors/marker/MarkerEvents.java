package dev.aiprof.collectors.marker;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.bpf.RingBuffer;
import dev.aiprof.bpf.phase.MarkerOrigin;
import dev.aiprof.bpf.phase.PhaseAbi;
import dev.aiprof.bpf.phase.PhaseEventView;
import dev.aiprof.bpf.phase.PhaseKind;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The phase probe's ring-buffer handler: decodes each event in place, pairs begins and ends per
 * thread ({@link PhaseStacks}) and hands completed phases to the listener, calling {@link Follows}
 * the first time a process is seen. Delivery happens outside the lock.
 *
 * <p>Thread-safety: {@link #onRecord} runs on the ring-buffer thread; {@link #forgetExited} and the
 * counters may be called from any thread.
 */
final class MarkerEvents implements RingBuffer.Handler {
  private final boolean kernelFollows;
  private final PhaseListener listener;
  private final Follows follows;
  private final int maxProcesses;
  private final PhaseEventView view = new PhaseEventView();
  private final byte[] name = new byte[PhaseAbi.NAME_LEN];
  private final NameCache names = new NameCache(4096);
  private final PhaseStacks stacks;
  private final Set<Integer> seen = new HashSet<>();
  private final long[] phases = new long[2];
  private long unknown;

  /** How long a thread or process must have been gone before its state is dropped. */
  static final long EXIT_GRACE_NANOS = 2_000_000_000L;

  private final Map<Integer, Long> tidsGone = new HashMap<>();
  private final Map<Integer, Long> pidsGone = new HashMap<>();

  /**
   * @param kernelFollows whether the probe follows calling processes in the kernel: then a
   *     process's first event also says from when its scheduler timeline is complete
   */
  MarkerEvents(
      PhaseListener listener,
      Follows follows,
      int maxThreads,
      int maxDepth,
      boolean kernelFollows) {
    this.listener = listener;
    this.follows = follows;
    this.kernelFollows = kernelFollows;
    this.maxProcesses = maxThreads;
    this.stacks = new PhaseStacks(maxThreads, maxDepth);
  }

  @Override
  public void onRecord(long address, int size) {
    if (size < PhaseEventView.SIZE) {
      return;
    }
    view.at(address);
    PhaseKind kind = view.kind();
    long ts = view.timestampNs();
    MarkerOrigin origin = view.origin();
    int pid = view.pid();
    Phase phase = null;
    boolean first;
    synchronized (this) {
      if (kind == null || origin == null) {
        unknown++;
        return;
      }
      PhaseOrigin o = origin == MarkerOrigin.NVTX ? PhaseOrigin.NVTX : PhaseOrigin.MARKER;
      first = seen.size() < maxProcesses && seen.add(pid);
      if (kind == PhaseKind.BEGIN) {
        String n = names.intern(name, view.copyName(name));
        stacks.begin(pid, view.tid(), o, n, view.timestampNs());
      } else {
        phase = stacks.end(pid, view.tid(), o, view.timestampNs());
        if (phase != null) {
          phases[PhaseStacks.slot(o)]++;
        }
      }
    }
    if (first && kernelFollows) {
      follows.followedInKernel(pid, ts); // the probe followed it in the kernel at this very call
    } else if (first) {
      follows.follow(pid);
    }
    if (phase != null) {
      listener.onPhase(phase);
    }
  }

  /**
   * Drops the stacks of threads that exited and forgets processes that exited (so a new process
   * with a reused pid is a first contact again), once they have been gone for {@link
   * #EXIT_GRACE_NANOS}: a thread's last events may still be in the ring when it exits, and its open
   * phases must not be dropped before they arrive. Reads /proc outside the lock.
   */
  void forgetExited(HostPaths paths) {
    forgetExited(paths, System.nanoTime());
  }

  void forgetExited(HostPaths paths, long nowNanos) {
    List<int[]> threads;
    List<Integer> pids;
    synchronized (this) {
      threads = stacks.threads();
      pids = new ArrayList<>(seen);
    }
    Set<Integer> goneTids = new HashSet<>();
    for (int[] t : threads) {
      String pid = Integer.toString(t[0]);
      if (!Files.exists(paths.proc(pid, "task", Integer.toString(t[1])))) {
        goneTids.add(t[1]);
      }
    }
    Set<Integer> gonePids = new HashSet<>();
    for (int p : pids) {
      if (!Files.exists(paths.proc(Integer.toString(p)))) {
        gonePids.add(p);
      }
    }
    synchronized (this) {
      due(tidsGone, goneTids, nowNanos).forEach(stacks::forget);
      due(pidsGone, gonePids, nowNanos).forEach(seen::remove);
    }
  }

  /**
   * Of {@code gone}, those gone for the grace period; {@code since} keeps when each was seen gone.
   */
  private static List<Integer> due(Map<Integer, Long> since, Set<Integer> gone, long nowNanos) {
    since.keySet().retainAll(gone);
    List<Integer> out = new ArrayList<>();
    for (int id : gone) {
      long first = since.computeIfAbsent(id, k -> nowNanos);
      if (nowNanos - first >= EXIT_GRACE_NANOS) {
        out.add(id);
        since.remove(id);
      }
    }
    return out;
  }

  synchronized long phases(PhaseOrigin origin) {
    return phases[PhaseStacks.slot(origin)];
  }

  synchronized PhaseStacks.Losses losses() {
    return stacks.losses();
  }

  /** Events with a kind or origin this version does not know. */
  synchronized long unknown() {
    return unknown;
  }

  /** Processes seen producing phases that are still alive (as of the last forgetExited). */
  synchronized int processes() {
    return seen.size();
  }
}
