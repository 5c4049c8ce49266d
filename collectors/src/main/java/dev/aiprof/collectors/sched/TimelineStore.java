package dev.aiprof.collectors.sched;

import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.SchedEventView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Scheduler timelines of the threads of followed processes, fed with every off-CPU episode the
 * probe reports for them (the probe runs with trace_followed). Bounded: episodes older than the
 * retention are trimmed, each thread keeps at most {@code maxEpisodes}, and at most {@code
 * maxThreads} threads are tracked (new threads beyond that are counted and ignored).
 *
 * <p>Processes are followed from user space ({@link #follow}) or from inside the kernel (the marker
 * probe follows a process at its first phase): an episode shorter than the probe's event threshold
 * is only ever sent for a followed process, so the first such episode of an unknown process makes
 * the store follow it from that episode's start.
 *
 * <p>Thread-safe: the ring-buffer thread adds, the correlation thread reads; each timeline is
 * guarded by its own monitor.
 */
public final class TimelineStore implements EpisodeListener {
  private final long retentionNs;
  private final int maxEpisodes;
  private final int maxThreads;
  private final Map<Integer, Long> followedSince = new ConcurrentHashMap<>();
  private final IntSet followedPids = new IntSet(); // the hot-path check, no boxing
  private final Map<Integer, ThreadTimeline> timelines = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> pidOfTid = new ConcurrentHashMap<>();
  private volatile long threadsRefused;

  public TimelineStore(long retentionNs, int maxEpisodes, int maxThreads) {
    this.retentionNs = retentionNs;
    this.maxEpisodes = maxEpisodes;
    this.maxThreads = maxThreads;
  }

  /** Records every episode of {@code pid}'s threads from {@code sinceNs} (monotonic) on. */
  public void follow(int pid, long sinceNs) {
    followedSince.merge(pid, sinceNs, Math::min);
    followedPids.add(pid);
  }

  /** Stops recording {@code pid} and drops its timelines. */
  public void unfollow(int pid) {
    followedPids.remove(pid);
    followedSince.remove(pid);
    pidOfTid
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue() == pid) {
                timelines.remove(e.getKey());
                return true;
              }
              return false;
            });
  }

  public boolean followed(int pid) {
    return followedPids.contains(pid);
  }

  /** When recording of {@code pid} started, or Long.MAX_VALUE when it is not followed. */
  public long followedSince(int pid) {
    return followedSince.getOrDefault(pid, Long.MAX_VALUE);
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

  public long threadsRefused() {
    return threadsRefused;
  }

  @Override
  public void onEpisode(SchedEventView e) {
    int pid = e.pid();
    if (!followedPids.contains(pid)) {
      if (!e.followed()) {
        return;
      }
      followedSince.merge(pid, e.offcpuTs(), Math::min);
      followedPids.add(pid);
    }
    int tid = e.tid();
    ThreadTimeline t = timelines.get(tid);
    if (t == null) {
      if (timelines.size() >= maxThreads) {
        threadsRefused++;
        return;
      }
      t = timelines.computeIfAbsent(tid, k -> new ThreadTimeline(maxEpisodes));
      pidOfTid.put(tid, pid);
    }
    long oncpu = e.oncpuTs();
    synchronized (t) {
      t.add(e.offcpuTs(), e.runnableTs(), oncpu, e.stealNs(), e.kind(), e.wakerPid(), e.wakerTid());
      t.trimBefore(oncpu - retentionNs);
    }
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
      t = new ThreadTimeline(1);
    }
    synchronized (t) {
      return t.breakdown(start, end, since, knownUntil, openOffcpu, openKind, minStallNs, stalls);
    }
  }

  /** Drops timelines of threads that have reported nothing for longer than the retention. */
  public void prune(long nowNs) {
    timelines
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                // An empty timeline was just created by onEpisode, its first episode on the way.
                ThreadTimeline t = e.getValue();
                boolean stale = t.size() > 0 && t.lastOncpu() < nowNs - retentionNs;
                if (stale) {
                  pidOfTid.remove(e.getKey());
                }
                return stale;
              }
            });
  }
}
