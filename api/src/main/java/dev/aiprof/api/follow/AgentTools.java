package dev.aiprof.api.follow;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes the agent itself runs as tools (the bpftrace collector's children): they are never
 * workloads, so the follow service does not follow them ({@link FollowOutcome#NOT_WORKLOAD}) and
 * collectors leave their series out. Offered to collectors as a host service. Bounded: at most
 * {@value #MAX} pids (the bpftrace collector runs at most 256 scripts); beyond it {@link #add}
 * refuses. Thread-safe.
 */
public final class AgentTools {
  public static final int MAX = 1024;

  private final Set<Integer> pids = ConcurrentHashMap.newKeySet();

  /** Marks {@code pid} as one of the agent's tools; false when the set is full. */
  public boolean add(int pid) {
    if (pids.size() >= MAX) {
      return false;
    }
    pids.add(pid);
    return true;
  }

  public void remove(int pid) {
    pids.remove(pid);
  }

  public boolean contains(int pid) {
    return pids.contains(pid);
  }
}
