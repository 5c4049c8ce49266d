package dev.aiprof.collectors.jfr;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.supervise.SupervisedLoop;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Decides which JVMs are streamed and keeps that true: attaches to the requested pids and, with
 * {@code jfr.select=all}, to every JVM {@link JvmDiscovery} finds (not the agent; the jcmd
 * processes it runs leave no hsperfdata file); every rescan it closes the streams of JVMs that
 * exited. A JVM that cannot be streamed is failed with its reason (logged once) and not retried,
 * unless asked for again with {@link #follow} or its pid now belongs to a new process.
 *
 * <p>All attaching, reaping and closing runs on one thread ({@code aiprof-jfr-attach}); {@link
 * #follow} and {@link #statuses} may be called from any thread.
 */
final class JvmTracker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(JvmTracker.class.getName());

  private final JfrSettings settings;
  private final HostPaths paths;
  private final JfrCounters counters;
  private final JvmSession.Setup setup;
  private final JvmDiscovery discovery;
  private final ScheduledExecutorService executor;
  private final Set<Integer> pending = ConcurrentHashMap.newKeySet();
  private final Map<Integer, JvmSession> sessions = new ConcurrentHashMap<>();
  private final Map<Integer, JvmStatus> finished = new ConcurrentHashMap<>();
  private final Map<Integer, Long> finishedStart = new ConcurrentHashMap<>();
  private volatile boolean closing;

  JvmTracker(
      JfrSettings settings,
      HostPaths paths,
      ClockSync clock,
      Follows follows,
      PhaseQueue queue,
      JfrCounters counters) {
    this.settings = settings;
    this.paths = paths;
    this.counters = counters;
    this.setup =
        new JvmSession.Setup(
            settings,
            new Jcmd(settings.jcmd(), settings.timeout()),
            paths,
            clock,
            queue::offer,
            counters,
            follows);
    this.discovery = new JvmDiscovery(paths);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("aiprof-jfr-attach").daemon().unstarted(r));
    pending.addAll(settings.pids());
    long every = settings.rescan().toMillis();
    executor.scheduleWithFixedDelay(
        SupervisedLoop.periodic("aiprof-jfr-attach", this::tick), 0, every, TimeUnit.MILLISECONDS);
  }

  /** Streams {@code pid} as soon as the attach thread gets to it (no-op if already streamed). */
  void follow(int pid) {
    if (closing || sessions.containsKey(pid)) {
      return;
    }
    pending.add(pid);
    finished.remove(pid);
    finishedStart.remove(pid);
    try {
      executor.execute(this::attachPending);
    } catch (RejectedExecutionException e) {
      // closed meanwhile: nothing to follow
    }
  }

  /** Every JVM the tracker has dealt with, by pid. */
  Map<Integer, JvmStatus> statuses() {
    Map<Integer, JvmStatus> out = new TreeMap<>(finished);
    sessions.forEach((pid, s) -> out.put(pid, s.status()));
    return out;
  }

  /** Streams open, by mechanism. */
  Map<String, Long> streaming() {
    return sessions.values().stream()
        .collect(Collectors.groupingBy(s -> s.status().mechanism(), Collectors.counting()));
  }

  private void tick() {
    try {
      if (settings.all()) {
        for (int pid : discovery.scan(sessions.keySet())) {
          if (isNew(pid)) {
            pending.add(pid);
          }
        }
      }
      attachPending();
      reap();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "JFR attach thread: " + e);
    }
  }

  /** A discovered pid is new unless we already dealt with the process that has it now. */
  private boolean isNew(int pid) {
    Long start = finishedStart.get(pid);
    return start == null || JvmProcess.startTime(paths, pid) != start;
  }

  private void attachPending() {
    for (int pid : List.copyOf(pending)) {
      if (closing) {
        return;
      }
      pending.remove(pid);
      if (!sessions.containsKey(pid) && !finished.containsKey(pid)) {
        attach(pid);
      }
    }
  }

  private void attach(int pid) {
    long t0 = System.nanoTime();
    JvmProcess jvm = null;
    try {
      if (pid == ProcessHandle.current().pid()) {
        throw new JfrException("pid " + pid + " is the agent itself");
      }
      jvm = JvmProcess.inspect(paths, pid);
      JvmSession s = JvmSession.start(jvm, setup);
      sessions.put(pid, s);
      LOG.log(
          System.Logger.Level.INFO,
          "streaming JFR events of pid %d by %s (%d ms to connect)"
              .formatted(pid, s.status().mechanism(), (System.nanoTime() - t0) / 1_000_000));
    } catch (JfrException e) {
      counters.attachFailures.increment();
      finished.put(pid, JvmStatus.failed(pid, e.getMessage()));
      finishedStart.put(pid, jvm == null ? JvmProcess.startTime(paths, pid) : jvm.startTime());
      LOG.log(
          System.Logger.Level.WARNING,
          "not streaming JFR events of pid " + pid + ": " + e.getMessage());
    }
  }

  private void reap() {
    for (JvmSession s : List.copyOf(sessions.values())) {
      if (!s.jvm().alive(paths)) {
        s.exited();
        int pid = s.jvm().pid();
        sessions.remove(pid);
        finished.put(pid, s.status());
        finishedStart.put(pid, s.jvm().startTime());
      }
    }
  }

  /**
   * Stops attaching (an attach under way finishes, so no recording is left half-made), then closes
   * every stream and stops every recording.
   */
  @Override
  public void close() {
    closing = true;
    executor.shutdown();
    try {
      executor.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (JvmSession s : List.copyOf(sessions.values())) {
      if (s.jvm().alive(paths)) {
        s.close();
      } else {
        s.exited();
      }
      sessions.remove(s.jvm().pid());
      finished.put(s.jvm().pid(), s.status());
    }
  }
}
