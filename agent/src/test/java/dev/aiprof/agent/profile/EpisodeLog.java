package dev.aiprof.agent.profile;

import dev.aiprof.bpf.sched.SchedEventView;
import dev.aiprof.collectors.sched.EpisodeListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Every episode the scheduler probe sent, as received (before the timelines filter them), kept so
 * that a failing ground-truth phase can be explained: which episodes of its thread the ring buffer
 * delivered around it. Bounded; the oldest are kept.
 */
final class EpisodeLog implements EpisodeListener {
  private static final int MAX = 1 << 20;

  record Received(
      long receivedNs,
      int pid,
      int tid,
      long offcpu,
      long runnable,
      long oncpu,
      int kind,
      int cpu,
      boolean followed,
      boolean rebuilt) {}

  private final List<Received> all = new ArrayList<>();

  @Override
  public synchronized void onEpisode(SchedEventView e) {
    if (all.size() < MAX) {
      all.add(
          new Received(
              System.nanoTime(),
              e.pid(),
              e.tid(),
              e.offcpuTs(),
              e.runnableTs(),
              e.oncpuTs(),
              e.kind().code(),
              e.cpu(),
              e.followed(),
              e.rebuilt()));
    }
  }

  /** The episodes of {@code tid} that overlap [from, to), in arrival order, one per line. */
  synchronized String around(int tid, long from, long to) {
    StringBuilder b = new StringBuilder();
    for (Received r : all) {
      if (r.tid() == tid && r.oncpu() > from && r.offcpu() < to) {
        b.append(
            String.format(
                "    off %d (%+.3f ms) runnable %+.3f on %+.3f kind %d cpu %d followed %b"
                    + " rebuilt %b received %+.3f%n",
                r.offcpu(),
                (r.offcpu() - from) / 1e6,
                (r.runnable() - r.offcpu()) / 1e6,
                (r.oncpu() - r.offcpu()) / 1e6,
                r.kind(),
                r.cpu(),
                r.followed(),
                r.rebuilt(),
                (r.receivedNs() - r.oncpu()) / 1e6));
      }
    }
    return b.isEmpty() ? "    (none)\n" : b.toString();
  }
}
