package dev.aiprof.collectors;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.follow.ProcessFollower;
import dev.aiprof.api.follow.ProcessKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A test collector that only follows: it records what the follow service tells its followers, so a
 * test sees which processes were followed, from when, and which were let go. Found by ServiceLoader
 * from the test class path (off by default: start it by {@link #NAME}). With it running, the follow
 * service has a follower and answers for real (GONE, NOT_WORKLOAD, FOLLOWED) without the BPF
 * scheduler collector. Other processes on the host may be followed too (a marker collector follows
 * every process that calls libaiprof.so): tests ask about their own pids. Thread-safe.
 */
public final class FollowRecorder implements Collector, ProcessFollower {
  public static final String NAME = "follow-recorder";

  private final Map<ProcessKey, Long> followed = new ConcurrentHashMap<>(); // since, or MAX
  private final Set<ProcessKey> unfollowed = ConcurrentHashMap.newKeySet();
  private final List<ProcessKey> starts = new CopyOnWriteArrayList<>(); // each time one began

  @Override
  public void start(CollectorContext context) {
    context.follower(this);
    context.offer(FollowRecorder.class, this);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized boolean follow(ProcessKey process) {
    if (followed.putIfAbsent(process, Long.MAX_VALUE) == null) {
      starts.add(process);
    }
    return true;
  }

  @Override
  public synchronized void followingSince(ProcessKey process, long sinceNs) {
    if (followed.put(process, Math.min(sinceNs, followed.getOrDefault(process, sinceNs))) == null) {
      starts.add(process);
    }
  }

  @Override
  public synchronized void unfollow(ProcessKey process) {
    if (followed.remove(process) != null) {
      unfollowed.add(process);
    }
  }

  /** The pids of the processes followed now. */
  public Set<Integer> pids() {
    return followed.keySet().stream().map(ProcessKey::pid).collect(Collectors.toSet());
  }

  /** The processes followed now. */
  public Set<ProcessKey> followed() {
    return Set.copyOf(followed.keySet());
  }

  /** How many times a process with {@code pid} began to be followed (each process once). */
  public long starts(int pid) {
    return starts.stream().filter(k -> k.pid() == pid).count();
  }

  /** Processes followed once and let go since (exited, or their pid reused). */
  public Set<ProcessKey> unfollowed() {
    return Set.copyOf(unfollowed);
  }

  @Override
  public void close() {}

  /** Registers {@link FollowRecorder} (test class path only). */
  public static final class Provider implements CollectorProvider {
    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public Set<Role> roles() {
      return Set.of(Role.PROCESS_FOLLOWER);
    }

    @Override
    public boolean enabledByDefault() {
      return false;
    }

    @Override
    public Collector create() {
      return new FollowRecorder();
    }
  }
}
