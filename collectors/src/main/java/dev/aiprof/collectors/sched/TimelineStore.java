package dev.aiprof.collectors.sched;

import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedEventView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Scheduler timelines of the threads of followed processes, fed with every off-CPU episode the
 * probe reports for them (the probe runs with trace_followed). Bounded by count and by memory:
 * episodes older than the retention are trimmed, each thread keeps at most {@code maxEpisodes}, at
 * most {@code maxThreads} threads are tracked, and all timelines together hold at most the {@link
 * EpisodeBudget}: past it a timeline stops growing and drops its oldest episodes (counted), and a
 * new thread is refused (counted).
 *
 * <p>Processes are followed by the follow service ({@link #follow}, {@link #unfollow} at exit) or
 * from inside the kernel (the marker probe follows a process at its first phase): an episode
 * shorter than the probe's event threshold is only ever sent for a followed process, so the first
 * such episode of an unknown process makes the store follow it from that episode's start.
 *
 * <p>Thread-safe: the ring-buffer thread adds, the correlation thread reads, housekeeping prunes;
 * each timeline is guarded by its own monitor.
 */
public final class TimelineStore implements EpisodeListener {
  private final long retentionNs;
  private final int maxEpisodes;
  private final int maxThreads;
  private final EpisodeBudget budget;

  /** When a process's records start, and when it stopped being followed (MAX: still is). */
  private record Follow(long since, long endedNs) {
    boolean ended() {
      return endedNs != Long.MAX_VALUE;
    }
  }

  private final Map<Integer, Follow> follows = new ConcurrentHashMap<>();
  private final IntSet followedPids = new IntSet(); // the hot-path check, no boxing
  private final Map<Integer, ThreadTimeline> timelines = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> pidOfTid = new ConcurrentHashMap<>();
  private final AtomicLong threadsRefused = new AtomicLong();
  private final AtomicLong memoryRefused = new AtomicLong();
  private final AtomicLong droppedForMemory = new AtomicLong(); // of timelines gone

  /**
   * @param memoryBytes what all timelines together may hold
   */
  public TimelineStore(long retentionNs, int maxEpisodes, int maxThreads, long memoryBytes) {
    this.retentionNs = retentionNs;
    this.maxEpisodes = maxEpisodes;
    this.maxThreads = maxThreads;
    this.budget = new EpisodeBudget(memoryBytes);
  }

  /**
   * Records every episode of {@code pid}'s threads from {@code sinceNs} (monotonic) on. After the
   * process under that pid stopped being followed, this is another process: what was kept of the
   * old one goes.
   */
  public void follow(int pid, long sinceNs) {
    Follow before = follows.get(pid);
    if (before != null && before.ended()) {
      dropThreadsOf(pid);
    }
    follows.compute(
        pid,
        (k, f) ->
            f == null || f.ended()
                ? new Follow(sinceNs, Long.MAX_VALUE)
                : new Follow(Math.min(f.since(), sinceNs), Long.MAX_VALUE));
    followedPids.add(pid);
  }

  /**
   * Thread {@code tid} of followed process {@code pid} was off-CPU in state {@code kind} when it
   * started being followed at {@code sinceNs} (read from /proc): see {@link ThreadTimeline#seed}.
   */
  public void seed(int pid, int tid, long sinceNs, OffCpuKind kind) {
    ThreadTimeline t = timelines.get(tid);
    if (t == null) {
      t = newTimeline(tid, pid);
      if (t == null) {
        return;
      }
    }
    synchronized (t) {
      t.seed(sinceNs, kind);
    }
  }

  /**
   * {@code pid}'s process is no longer followed (it exited, or its pid names another process now)
   * as of {@code nowNs}. Its timelines stay until the retention ends, for its phases still on their
   * way (a workload's last phases reach the engine after it exited); episodes of it still in the
   * ring are kept too. A later follow of the pid starts afresh.
   */
  public void unfollow(int pid, long nowNs) {
    followedPids.remove(pid);
    follows.computeIfPresent(pid, (k, f) -> f.ended() ? f : new Follow(f.since(), nowNs));
  }

  /** {@code pid} was never followed after all (the kernel's map was full): nothing is kept. */
  public void forget(int pid) {
    followedPids.remove(pid);
    follows.remove(pid);
    dropThreadsOf(pid);
  }

  private void dropThreadsOf(int pid) {
    pidOfTid
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue() == pid) {
                drop(e.getKey());
                return true;
              }
              return false;
            });
  }

  private void drop(int tid) {
    ThreadTimeline t = timelines.remove(tid);
    if (t != null) {
      synchronized (t) {
        t.retire();
        budget.release(t.capacity());
        droppedForMemory.addAndGet(t.droppedForMemory());
      }
    }
  }

  public boolean followed(int pid) {
    return followedPids.contains(pid);
  }

  /** When recording of {@code pid} started, or Long.MAX_VALUE when it is not followed. */
  public long followedSince(int pid) {
    Follow f = follows.get(pid);
    return f == null ? Long.MAX_VALUE : f.since();
  }

  /** The threads of {@code pid} with a timeline. */
  public List<Integer> threadsOf(int pid) {
    return pidOfTid.entrySet().stream()
        .filter(e -> e.getValue() == pid)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Episodes the timelines ignored as out of order (should be 0). */
  public long outOfOrder() {
    long n = 0;
    for (ThreadTimeline t : timelines.values()) {
      synchronized (t) {
        n += t.outOfOrder();
      }
    }
    return n;
  }

  /** New threads refused because {@code maxThreads} timelines exist. */
  public long threadsRefused() {
    return threadsRefused.get();
  }

  /** New threads refused because the memory budget was spent. */
  public long memoryRefused() {
    return memoryRefused.get();
  }

  /** Episodes dropped before their time because the memory budget had no room to grow. */
  public long droppedForMemory() {
    long n = droppedForMemory.get();
    for (ThreadTimeline t : timelines.values()) {
      synchronized (t) {
        n += t.droppedForMemory();
      }
    }
    return n;
  }

  /** Bytes the timelines hold now, and may hold at most. */
  public long memoryBytes() {
    return budget.used() * EpisodeBudget.BYTES_PER_EPISODE;
  }

  public long memoryCapacityBytes() {
    return budget.capacity() * EpisodeBudget.BYTES_PER_EPISODE;
  }

  /** Threads with a timeline now. */
  public int threads() {
    return timelines.size();
  }

  @Override
  public void onEpisode(SchedEventView e) {
    int pid = e.pid();
    if (!followedPids.contains(pid)) {
      if (!e.followed()) {
        return;
      }
      Follow f = follows.get(pid);
      if (f == null || !f.ended() || e.offcpuTs() > f.endedNs()) {
        follow(pid, e.offcpuTs()); // the kernel follows it (the marker probe's first call)
      } // else: an episode of the process that ended, still on its way: kept
    }
    int tid = e.tid();
    ThreadTimeline t = timelines.get(tid);
    if (t == null) {
      t = newTimeline(tid, pid);
      if (t == null) {
        return;
      }
    }
    long oncpu = e.oncpuTs();
    synchronized (t) {
      t.add(e.offcpuTs(), e.runnableTs(), oncpu, e.stealNs(), e.kind(), e.wakerPid(), e.wakerTid());
      t.trimBefore(oncpu - retentionNs);
    }
  }

  /** A new timeline for a thread (the ring's thread and the follow service's may both ask). */
  private synchronized ThreadTimeline newTimeline(int tid, int pid) {
    ThreadTimeline existing = timelines.get(tid);
    if (existing != null) {
      return existing;
    }
    if (timelines.size() >= maxThreads) {
      threadsRefused.incrementAndGet();
      return null;
    }
    int initial = Math.min(ThreadTimeline.INITIAL, maxEpisodes);
    if (!budget.take(initial)) {
      memoryRefused.incrementAndGet();
      return null;
    }
    ThreadTimeline t = new ThreadTimeline(maxEpisodes, budget);
    timelines.put(tid, t);
    pidOfTid.put(tid, pid);
    return t;
  }

  /**
   * Where thread {@code tid}'s time in [start, end) went; see {@link ThreadTimeline#breakdown}. An
   * unknown thread whose process is followed was on a CPU throughout (no episode reported).
   */
  public Breakdown breakdown(
      int pid,
      int tid,
      long start,
      long end,
      long knownUntil,
      long openOffcpu,
      OffCpuKind openKind,
      long minStallNs,
      Consumer<Episode> stalls) {
    long since = followedSince(pid);
    ThreadTimeline t = timelines.get(tid);
    if (t == null) {
      t = ThreadTimeline.empty();
    }
    synchronized (t) {
      return t.breakdown(start, end, since, knownUntil, openOffcpu, openKind, minStallNs, stalls);
    }
  }

  /**
   * Drops timelines of threads that have reported nothing for longer than the retention, and what
   * is kept of processes that ended longer ago than that.
   */
  public void prune(long nowNs) {
    follows.entrySet().removeIf(e -> e.getValue().endedNs() < nowNs - retentionNs);
    for (Map.Entry<Integer, ThreadTimeline> e : timelines.entrySet()) {
      ThreadTimeline t = e.getValue();
      boolean stale;
      synchronized (t) {
        // An empty timeline was just created by onEpisode, its first episode on the way.
        stale = t.size() > 0 && t.lastOncpu() < nowNs - retentionNs;
      }
      if (stale) {
        pidOfTid.remove(e.getKey());
        drop(e.getKey());
      }
    }
  }
}
