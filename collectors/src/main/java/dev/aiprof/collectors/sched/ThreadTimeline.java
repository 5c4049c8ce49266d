package dev.aiprof.collectors.sched;

import dev.aiprof.bpf.sched.OffCpuKind;
import java.util.function.Consumer;

/**
 * The recent off-CPU episodes of one thread, in switch-in order, in primitive ring arrays (no
 * object per episode), and the exact overlap of any interval with them. Once its process is
 * followed, every episode of the thread is reported, so between two episodes (and after the last
 * one, until the thread leaves the CPU again) the thread was on a CPU. What was dropped (oldest
 * first, by age or when full) is no longer known: {@link #lostUntil()}.
 *
 * <p>Not thread-safe: {@link TimelineStore} guards each instance.
 */
final class ThreadTimeline {
  private final int maxCapacity;
  private final EpisodeBudget budget; // null: not accounted (a throw-away empty timeline)
  private long droppedForMemory;
  private boolean retired;
  private long seedNs; // off-CPU since before it was followed, as /proc said then (0: none)
  private byte seedKind;
  private long[] off;
  private long[] runnable;
  private long[] on;
  private long[] steal; // of the on-CPU slice that ended at off[i]
  private byte[] kind;
  private int[] wakerPid;
  private int[] wakerTid;
  private int head; // index of the oldest
  private int size;
  private long lostUntil = Long.MIN_VALUE;
  private long outOfOrder;

  /** Initial capacity: what a new timeline takes from the budget. */
  static final int INITIAL = 64;

  /**
   * Starts at {@link #INITIAL} episodes (already taken from {@code budget} by the caller) and
   * doubles up to {@code maxCapacity} while the budget has room.
   */
  ThreadTimeline(int maxCapacity, EpisodeBudget budget) {
    this.maxCapacity = maxCapacity;
    this.budget = budget;
    allocate(Math.min(INITIAL, maxCapacity));
  }

  /** An empty timeline outside any budget, for a thread that reported nothing. */
  static ThreadTimeline empty() {
    return new ThreadTimeline(1, null);
  }

  /** The episodes' room it holds (to give back to the budget when it goes). */
  int capacity() {
    return off.length;
  }

  /**
   * The thread was off-CPU in state {@code kind} when its process started being followed at {@code
   * sinceNs}: until an episode that got it a CPU after then arrives (which closes the wait the
   * kernel saw begin), it counts as off-CPU from then on, not as running. Episodes that ended
   * before {@code sinceNs} do not close it: they are of its life before the follow, still on their
   * way through the ring when the store began taking its episodes (every episode is sent with
   * {@code sched.min-event=0}, long ones always), and the switch-out that began this wait was not
   * reported, because the process was not followed yet. A seed still open is kept: it is older.
   */
  void seed(long sinceNs, OffCpuKind kind) {
    if ((seedNs > 0 && !switchedInAfter(seedNs)) || switchedInAfter(sinceNs)) {
      return;
    }
    seedNs = sinceNs;
    seedKind = (byte) kind.code();
  }

  /** Whether an episode kept or dropped got the thread a CPU after {@code t}. */
  private boolean switchedInAfter(long t) {
    return Math.max(lastOncpu(), lostUntil) > t;
  }

  /** Removed from its store: takes no more episodes (and no more budget). */
  void retire() {
    retired = true;
  }

  /** Episodes dropped before their time because the budget had no room for growth. */
  long droppedForMemory() {
    return droppedForMemory;
  }

  private void allocate(int capacity) {
    off = new long[capacity];
    runnable = new long[capacity];
    on = new long[capacity];
    steal = new long[capacity];
    kind = new byte[capacity];
    wakerPid = new int[capacity];
    wakerTid = new int[capacity];
  }

  private void grow() {
    long[] o = off;
    long[] r = runnable;
    long[] n = on;
    long[] st = steal;
    byte[] k = kind;
    int[] wp = wakerPid;
    int[] wt = wakerTid;
    int oldHead = head;
    allocate(Math.min(maxCapacity, o.length * 2));
    for (int i = 0; i < size; i++) {
      int from = (oldHead + i) % o.length;
      off[i] = o[from];
      runnable[i] = r[from];
      on[i] = n[from];
      steal[i] = st[from];
      kind[i] = k[from];
      wakerPid[i] = wp[from];
      wakerTid[i] = wt[from];
    }
    head = 0;
  }

  /**
   * Appends an episode, with the steal of the on-CPU slice that ended at its start; the oldest is
   * dropped when full. Out-of-order episodes are ignored.
   */
  void add(
      long offcpuTs,
      long runnableTs,
      long oncpuTs,
      long stealNs,
      OffCpuKind k,
      int wPid,
      int wTid) {
    if (retired) {
      return;
    }
    if (size > 0 && offcpuTs < on[index(size - 1)]) {
      outOfOrder++;
      return;
    }
    if (size == off.length) {
      int more = Math.min(maxCapacity, off.length * 2) - off.length;
      if (more > 0 && budget != null && budget.take(more)) {
        grow();
      } else {
        if (more > 0) {
          droppedForMemory++;
        }
        dropOldest();
      }
    }
    int i = index(size++);
    off[i] = offcpuTs;
    runnable[i] = runnableTs;
    on[i] = oncpuTs;
    steal[i] = stealNs;
    kind[i] = (byte) k.code();
    wakerPid[i] = wPid;
    wakerTid[i] = wTid;
  }

  /** Forgets episodes that ended before {@code t}. */
  void trimBefore(long t) {
    while (size > 0 && on[head] < t) {
      dropOldest();
    }
  }

  private void dropOldest() {
    lostUntil = Math.max(lostUntil, on[head]);
    head = (head + 1) % off.length;
    size--;
  }

  /** Time before which episodes were dropped: the timeline says nothing about it. */
  long lostUntil() {
    return lostUntil;
  }

  /** Episodes ignored because they started before the previous one ended. */
  long outOfOrder() {
    return outOfOrder;
  }

  int size() {
    return size;
  }

  /** Switch-in time of the newest episode, or Long.MIN_VALUE when empty. */
  long lastOncpu() {
    return size == 0 ? Long.MIN_VALUE : on[index(size - 1)];
  }

  /**
   * Where the time of [start, end) went. {@code followedSince} is when every episode of the thread
   * started being reported; {@code knownUntil} the time up to which its state is known (the
   * caller's watermark, or {@code end} when the thread itself ended the phase on a CPU); {@code
   * openOffcpu}/{@code openKind} an episode the thread is in now that no event has reported yet (0
   * when it is on a CPU now). Episodes whose off-CPU or runqueue part inside the interval is at
   * least {@code minStallNs} (> 0) go to {@code stalls}.
   */
  Breakdown breakdown(
      long start,
      long end,
      long followedSince,
      long knownUntil,
      long openOffcpu,
      OffCpuKind openKind,
      long minStallNs,
      Consumer<Episode> stalls) {
    long from = Math.max(start, Math.max(followedSince, lostUntil));
    long until = Math.min(end, knownUntil);
    long[] offNs = new long[OffCpuKind.values().length];
    if (until <= from) {
      return new Breakdown(0, 0, offNs, 0, 0);
    }
    long runq = 0;
    double stolen = 0;
    for (int n = firstEndingAfter(from); n < size; n++) {
      int i = index(n);
      // The slice before this episode: its steal, spread evenly (where in it is unknown). Before
      // the oldest episode kept, the slice began where the last dropped one ended, if any.
      long before = n > 0 ? on[index(n - 1)] : lostUntil;
      long sliceStart = before != Long.MIN_VALUE ? before : Math.min(from, off[i]);
      if (steal[i] > 0 && off[i] > sliceStart) {
        stolen +=
            (double) steal[i] * overlap(from, until, sliceStart, off[i]) / (off[i] - sliceStart);
      }
      if (off[i] >= until) {
        break;
      }
      long o = overlap(from, until, off[i], runnable[i]);
      long r = overlap(from, until, runnable[i], on[i]);
      offNs[kind[i]] += o;
      runq += r;
      if (Math.max(o, r) >= minStallNs && minStallNs > 0) {
        stalls.accept(
            new Episode(
                off[i], runnable[i], on[i], OffCpuKind.ofCode(kind[i]), wakerPid[i], wakerTid[i]));
      }
    }
    if (openOffcpu <= 0 && seedNs > 0 && !switchedInAfter(seedNs)) {
      openOffcpu = seedNs; // off-CPU since before it was followed, not seen to switch since
      openKind = OffCpuKind.ofCode(seedKind);
    }
    if (openOffcpu > 0 && openOffcpu >= lastOncpu() && openOffcpu < until) {
      long open = until - Math.max(from, openOffcpu);
      if (openKind == OffCpuKind.PREEMPTED) {
        runq += open; // preempted: runnable all along, waiting for a CPU
      } else {
        offNs[openKind.code()] += open;
      }
    }
    long known = until - from;
    long stealNs = Math.round(stolen);
    long off = runq + stealNs;
    for (long v : offNs) {
      off += v;
    }
    return new Breakdown(known - off, runq, offNs, stealNs, known);
  }

  /** Position (0..size) of the first episode whose switch-in is after t: binary search. */
  private int firstEndingAfter(long t) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (on[index(mid)] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int index(int n) {
    return (head + n) % off.length;
  }

  static long overlap(long a0, long a1, long b0, long b1) {
    return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  }
}
