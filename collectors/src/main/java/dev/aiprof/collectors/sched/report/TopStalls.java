package dev.aiprof.collectors.sched.report;

import dev.aiprof.bpf.sched.SchedEventView;
import dev.aiprof.collectors.sched.EpisodeListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Keeps the {@code limit} longest stalls ({@link Stall#involuntaryNs}) that pass a filter, cheaply:
 * an episode shorter than the current shortest kept one is rejected before anything is allocated.
 * Fed on the ring-buffer thread, read on another: synchronized.
 */
public final class TopStalls implements EpisodeListener {
  private final int limit;
  private final Predicate<SchedEventView> filter;
  private final PriorityQueue<Stall> kept =
      new PriorityQueue<>(Comparator.comparingLong(Stall::involuntaryNs));
  private volatile long seen; // one writer: the ring-buffer thread
  private volatile long
      floor; // the shortest kept stall once full: cheaper ones are rejected unlocked

  public TopStalls(int limit, Predicate<SchedEventView> filter) {
    this.limit = limit;
    this.filter = filter;
  }

  @Override
  public void onEpisode(SchedEventView e) {
    if (!filter.test(e)) {
      return;
    }
    seen++;
    long involuntary = Stall.involuntaryNsOf(e);
    if (involuntary == 0 || involuntary <= floor) {
      return;
    }
    synchronized (this) {
      kept.add(Stall.of(e));
      if (kept.size() > limit) {
        kept.poll();
      }
      if (kept.size() == limit) {
        floor = kept.peek().involuntaryNs();
      }
    }
  }

  /** Episodes that passed the filter, kept or not. */
  public long seen() {
    return seen;
  }

  /** The kept stalls, longest first. */
  public synchronized List<Stall> longestFirst() {
    List<Stall> out = new ArrayList<>(kept);
    out.sort(Comparator.comparingLong(Stall::involuntaryNs).reversed());
    return out;
  }
}
