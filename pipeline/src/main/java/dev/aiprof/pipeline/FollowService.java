package dev.aiprof.pipeline;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.AgentTools;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.follow.Followed;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.follow.ProcStat;
import dev.aiprof.api.follow.ProcessFollower;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.settings.Setting;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The follow service: which processes are followed, by {@link ProcessKey} (pid and start time),
 * from when, until they exit. A request is granted only for a process that exists, is not a kernel
 * thread and is not the agent, while the table has room ({@code follow.max-processes}) and every
 * {@link ProcessFollower} accepts it. A followed pid is checked again when it is asked for after
 * {@code RECHECK} and by {@link #sweep} (the pipeline runs it every {@code follow.check-interval}):
 * a process that exited, or whose pid now names another process, is unfollowed in every follower,
 * so nothing recorded of the old process is claimed for the new one.
 *
 * <p>Bounded: at most {@code follow.max-processes} processes followed at the agent's request;
 * processes the kernel followed by itself (the marker probe) are recorded beside them, bounded by
 * the kernel's own map. Every outcome is counted.
 *
 * <p>Thread-safe: requests come from the engine, the sources and the CLI; {@code /proc} is read
 * outside the lock.
 */
public final class FollowService implements Follows {
  public static final Setting<Integer> MAX_PROCESSES =
      Setting.integer(
          "follow.max-processes",
          4096,
          1,
          65_536,
          "processes followed at once at the agent's request (the kernel's followed map holds"
              + " 4096); more are refused and counted");
  public static final Setting<Duration> CHECK_INTERVAL =
      Setting.duration(
          "follow.check-interval",
          Duration.ofSeconds(1),
          Duration.ofMillis(100),
          Duration.ofMinutes(1),
          "how often every followed process is checked for exit or pid reuse");

  public static final MetricId PROCESSES =
      MetricId.gauge("aiprof.follow.processes", "Processes followed now", "{process}");
  public static final MetricId CAPACITY =
      MetricId.gauge(
          "aiprof.follow.capacity",
          "Processes the agent may follow at its own request (follow.max-processes)",
          "{process}");
  public static final MetricId REQUESTS =
      MetricId.counter(
          "aiprof.follow.requests",
          "Requests to follow a process, by outcome: followed, already, gone, not_workload, full,"
              + " no_follower",
          "{request}");
  public static final MetricId EXITS =
      MetricId.counter(
          "aiprof.follow.exits",
          "Followed processes unfollowed because they exited or their pid was reused",
          "{process}");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aiprof.outcome");

  /** How long a followed pid's check stays good for {@link #follow}. */
  static final long RECHECK_NS = 250_000_000L;

  private record Entry(ProcessKey key, long sinceNs, long checkedNs, boolean requested) {
    Entry checked(long now) {
      return new Entry(key, sinceNs, now, requested);
    }
  }

  private final HostPaths paths;
  private final int self;
  private final int capacity;
  private final LongSupplier nanoClock;
  private final List<ProcessFollower> followers = new CopyOnWriteArrayList<>();
  private final Map<Integer, Entry> table = new HashMap<>();
  private final Map<FollowOutcome, AtomicLong> outcomes = new EnumMap<>(FollowOutcome.class);
  private final AtomicLong exits = new AtomicLong();
  private int requested; // entries the agent asked for (bounded by capacity)
  private volatile AgentTools tools = new AgentTools();

  public FollowService(HostPaths paths, int maxProcesses) {
    this(paths, maxProcesses, (int) ProcessHandle.current().pid(), System::nanoTime);
  }

  FollowService(HostPaths paths, int maxProcesses, int selfPid, LongSupplier nanoClock) {
    this.paths = paths;
    this.capacity = maxProcesses;
    this.self = selfPid;
    this.nanoClock = nanoClock;
    for (FollowOutcome o : FollowOutcome.values()) {
      outcomes.put(o, new AtomicLong());
    }
  }

  /** The agent's own tool processes, never followed (the pipeline's host service). */
  public void tools(AgentTools t) {
    this.tools = t;
    t.onAdd(this::unfollowTool);
  }

  /** A process the agent now names its tool: unfollowed if it was followed as a workload. */
  private void unfollowTool(ProcessKey key) {
    Entry e;
    synchronized (this) {
      e = table.get(key.pid());
    }
    if (e != null && e.key().equals(key)) {
      forget(key.pid(), null);
    }
  }

  /** Adds a follower; processes followed before are not replayed (add them before start). */
  public void addFollower(ProcessFollower f) {
    followers.add(f);
  }

  @Override
  public FollowOutcome follow(int pid) {
    return count(request(pid));
  }

  private FollowOutcome request(int pid) {
    if (followers.isEmpty()) {
      return FollowOutcome.NO_FOLLOWER;
    }
    long now = nanoClock.getAsLong();
    synchronized (this) {
      Entry e = table.get(pid);
      if (e != null && now - e.checkedNs() < RECHECK_NS) {
        return FollowOutcome.ALREADY;
      }
    }
    Optional<ProcStat> stat = ProcStat.read(paths, pid);
    if (stat.isEmpty()) {
      forget(pid, null);
      return FollowOutcome.GONE;
    }
    ProcessKey key = stat.get().key();
    if (stat.get().kernelThread() || pid == self || tools.contains(key)) {
      return FollowOutcome.NOT_WORKLOAD;
    }
    synchronized (this) {
      Entry e = table.get(pid);
      if (e != null && e.key().equals(key)) {
        table.put(pid, e.checked(now));
        return FollowOutcome.ALREADY;
      }
      if (requested >= capacity) {
        return FollowOutcome.FULL;
      }
    }
    forget(pid, key); // a reused pid: the old process is gone
    List<ProcessFollower> accepted = new ArrayList<>();
    for (ProcessFollower f : followers) {
      if (!f.follow(key)) {
        accepted.forEach(a -> a.unfollow(key));
        return FollowOutcome.FULL;
      }
      accepted.add(f);
    }
    synchronized (this) {
      if (table.put(pid, new Entry(key, now, now, true)) == null) {
        requested++;
      }
    }
    return FollowOutcome.FOLLOWED;
  }

  @Override
  public FollowOutcome followedInKernel(int pid, long sinceNs) {
    Optional<ProcStat> stat = ProcStat.read(paths, pid);
    if (stat.isEmpty()) {
      forget(pid, null);
      return count(FollowOutcome.GONE);
    }
    ProcessKey key = stat.get().key();
    if (tools.contains(key)) {
      return count(FollowOutcome.NOT_WORKLOAD);
    }
    long now = nanoClock.getAsLong();
    boolean reused;
    synchronized (this) {
      Entry e = table.get(pid);
      if (e != null && e.key().equals(key)) {
        table.put(pid, e.checked(now));
        followers.forEach(f -> f.followingSince(key, sinceNs));
        return count(FollowOutcome.ALREADY);
      }
      reused = e != null;
    }
    forget(pid, key);
    // After a reused pid was unfollowed, what the followers held of the new process went too.
    long since = reused ? Math.max(sinceNs, now) : sinceNs;
    followers.forEach(f -> f.followingSince(key, since));
    synchronized (this) {
      table.put(pid, new Entry(key, since, now, false));
    }
    return count(FollowOutcome.FOLLOWED);
  }

  @Override
  public Optional<Followed> followed(int pid) {
    Entry e;
    synchronized (this) {
      e = table.get(pid);
    }
    if (e == null) {
      return Optional.empty();
    }
    long now = nanoClock.getAsLong();
    if (now - e.checkedNs() >= RECHECK_NS) {
      Optional<ProcStat> stat = ProcStat.read(paths, pid);
      if (stat.isEmpty() || !stat.get().key().equals(e.key())) {
        forget(pid, null);
        return Optional.empty();
      }
      synchronized (this) {
        table.computeIfPresent(pid, (k, v) -> v.key().equals(e.key()) ? v.checked(now) : v);
      }
    }
    return Optional.of(new Followed(e.key(), e.sinceNs()));
  }

  /** Checks every followed process; unfollows those that exited or whose pid was reused. */
  public void sweep() {
    List<Entry> all;
    synchronized (this) {
      all = List.copyOf(table.values());
    }
    long now = nanoClock.getAsLong();
    for (Entry e : all) {
      Optional<ProcStat> stat = ProcStat.read(paths, e.key().pid());
      if (stat.isPresent() && stat.get().key().equals(e.key())) {
        synchronized (this) {
          table.computeIfPresent(e.key().pid(), (k, v) -> v == e ? v.checked(now) : v);
        }
      } else {
        forget(e.key().pid(), null);
      }
    }
  }

  /** Unfollows what is followed under {@code pid}, unless it is {@code keep}. */
  private void forget(int pid, ProcessKey keep) {
    Entry gone;
    synchronized (this) {
      Entry e = table.get(pid);
      if (e == null || e.key().equals(keep)) {
        return;
      }
      table.remove(pid);
      if (e.requested()) {
        requested--;
      }
      gone = e;
    }
    exits.incrementAndGet();
    for (ProcessFollower f : followers) {
      try {
        f.unfollow(gone.key());
      } catch (RuntimeException ex) {
        System.getLogger(FollowService.class.getName())
            .log(System.Logger.Level.WARNING, f.name() + ": cannot unfollow " + gone.key(), ex);
      }
    }
  }

  private FollowOutcome count(FollowOutcome o) {
    outcomes.get(o).incrementAndGet();
    return o;
  }

  /** Processes followed now. */
  public synchronized int size() {
    return table.size();
  }

  /** The followed processes and outcome counters. */
  public void collect(MetricSink sink) {
    sink.gauge(PROCESSES, Attributes.empty(), size());
    sink.gauge(CAPACITY, Attributes.empty(), capacity);
    outcomes.forEach((o, n) -> sink.counter(REQUESTS, Attributes.of(OUTCOME, o.label()), n.get()));
    sink.counter(EXITS, Attributes.empty(), exits.get());
  }

  /** How many requests ended with {@code o} (tests, reports). */
  public long outcomes(FollowOutcome o) {
    return outcomes.get(o).get();
  }
}
