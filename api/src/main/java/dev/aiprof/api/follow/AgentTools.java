package dev.aiprof.api.follow;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The processes the agent itself runs as tools (the bpftrace collector's children): they are never
 * workloads, so the follow service does not follow them ({@link FollowOutcome#NOT_WORKLOAD}) and
 * collectors leave their series out. Offered to collectors as a host service. Bounded: at most
 * {@value #MAX} processes, by {@link ProcessKey} (the bpftrace collector runs at most 256 scripts);
 * beyond it {@link #add} refuses. Thread-safe.
 */
public final class AgentTools {
  public static final int MAX = 1024;

  private final Set<ProcessKey> keys = ConcurrentHashMap.newKeySet();
  private final List<Consumer<ProcessKey>> added = new CopyOnWriteArrayList<>();

  /**
   * Marks {@code key} as one of the agent's tools and tells the {@link #onAdd} listeners (the
   * follow service unfollows it if it was followed meanwhile: a child is a workload's until the
   * agent says otherwise); false when the set is full.
   */
  public boolean add(ProcessKey key) {
    if (keys.size() >= MAX) {
      return false;
    }
    keys.add(key);
    added.forEach(l -> l.accept(key));
    return true;
  }

  public void remove(ProcessKey key) {
    keys.remove(key);
  }

  /** Whether {@code key} (pid and start time: a reused pid is another process) is a tool. */
  public boolean contains(ProcessKey key) {
    return keys.contains(key);
  }

  /** Whether some tool has {@code pid} (for tests and messages; decisions use the key). */
  public boolean contains(int pid) {
    return keys.stream().anyMatch(k -> k.pid() == pid);
  }

  /** Calls {@code listener} with each key added from now on (on the adding thread). */
  public void onAdd(Consumer<ProcessKey> listener) {
    added.add(listener);
  }
}
