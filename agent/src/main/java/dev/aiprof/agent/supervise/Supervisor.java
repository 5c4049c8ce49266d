package dev.aiprof.agent.supervise;

import dev.aiprof.api.health.HealthCheck;
import dev.aiprof.api.health.HealthSource;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.supervise.Restarts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Supervises the agent's long-running threads. Threads restart their own loops after a failure
 * ({@link dev.aiprof.api.supervise.SupervisedLoop}, counted in {@link Restarts}); the supervisor
 * watches what is left: every {@link #interval} it finds the threads named in {@link #WATCHED} (the
 * correlation engine, span export, ring poller, OTLP delivery, JFR, NVML, housekeeping,
 * identity...) and the {@linkplain #watch explicit watches} (a component that records its thread's
 * failure itself, the ring poller). A thread that died of an uncaught throwable (a loop given up),
 * or a watch that reports a failure, is fatal: its liveness check fails, one line names the cause,
 * and the fatal handler ({@link #onFatal}: {@code aiprof run} stops and exits 70) runs once. A
 * thread that ended without one was stopped by its owner (a collector closed) and is no longer
 * checked. Never a half-dead agent that reports healthy.
 *
 * <p>Liveness ({@link HealthSource}): one check {@code thread:NAME} per thread seen, plus {@code
 * supervisor} itself. Metrics: {@code aiprof.thread.restarts} and {@code aiprof.thread.alive} by
 * {@code aiprof.thread}. Bounded: the watched names are a fixed set.
 *
 * <p>Lifecycle: {@link #start}, {@link #close} (before the agent closes its parts, so that threads
 * stopping then are not taken for deaths). Thread-safe.
 */
public final class Supervisor implements HealthSource, AutoCloseable {
  /** The names of the agent's long-running threads. */
  public static final Set<String> WATCHED =
      Set.of(
          "aiprof-correlation",
          "aiprof-span-export",
          "aiprof-otlp-delivery",
          "aiprof-jfr-phases",
          "aiprof-jfr-attach",
          "aiprof-nvml-sampler",
          "aiprof-nvml-events",
          "aiprof-housekeeping",
          "aiprof-identity",
          "aiprof-pod-watch");

  public static final String THREAD = "aiprof-supervisor";

  public static final AttributeKey<String> THREAD_KEY = AttributeKey.stringKey("aiprof.thread");
  public static final MetricId RESTARTS =
      MetricId.counter(
          "aiprof.thread.restarts",
          "Restarts of a long-running thread's loop after it failed (with backoff)",
          "{restart}");
  public static final MetricId ALIVE =
      MetricId.gauge(
          "aiprof.thread.alive", "Whether a supervised thread runs (1) or died (0)", "1");

  private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());

  private final Set<String> names;
  private final Duration interval;
  private final Map<String, Thread> seen = new ConcurrentSkipListMap<>();
  private final Map<String, Supplier<Throwable>> watches = new ConcurrentSkipListMap<>();
  private final Map<String, String> deaths = new ConcurrentHashMap<>();
  private final Thread thread;
  private final Thread.UncaughtExceptionHandler previous;
  private volatile Consumer<String> fatalHandler = why -> {};
  private volatile String fatal;
  private volatile boolean closed;

  Supervisor(Set<String> names, Duration interval) {
    this.names = names;
    this.interval = interval;
    this.previous = Thread.getDefaultUncaughtExceptionHandler();
    this.thread = Thread.ofPlatform().daemon().name(THREAD).unstarted(this::run);
  }

  /** Starts watching the agent's threads ({@link #WATCHED}) every second. */
  public static Supervisor start() {
    return start(WATCHED, Duration.ofSeconds(1));
  }

  static Supervisor start(Set<String> names, Duration interval) {
    Supervisor s = new Supervisor(names, interval);
    Thread.setDefaultUncaughtExceptionHandler(s::uncaught);
    s.scan();
    s.thread.start();
    return s;
  }

  /**
   * Watches a component that records its own thread's failure ({@code failure} returns null while
   * it runs): a failure is fatal like a dead thread.
   */
  public void watch(String name, Supplier<Throwable> failure) {
    watches.put(name, failure);
  }

  /** Runs {@code handler} with the cause when something fatal happens (now, if it did already). */
  public void onFatal(Consumer<String> handler) {
    fatalHandler = handler;
    String f = fatal;
    if (f != null) {
      handler.accept(f);
    }
  }

  /** The fatal cause, once there is one. */
  public Optional<String> fatal() {
    return Optional.ofNullable(fatal);
  }

  private void uncaught(Thread t, Throwable e) {
    if (names.contains(t.getName())) { // only supervised names: pool threads' names are unbounded
      deaths.put(t.getName(), Restarts.describe(e));
    }
    if (previous != null) {
      previous.uncaughtException(t, e);
    } else {
      t.getThreadGroup().uncaughtException(t, e); // the JVM's own report, with the stack
    }
    if (names.contains(t.getName())) {
      seen.put(t.getName(), t);
      check();
    }
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(interval);
        scan();
        check();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "supervisor: " + e);
      }
    }
  }

  /** Finds the watched threads that run now. */
  private void scan() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] all = new Thread[root.activeCount() + 16];
    int n = root.enumerate(all, true);
    for (int i = 0; i < n; i++) {
      if (names.contains(all[i].getName())) {
        seen.put(all[i].getName(), all[i]);
      }
    }
  }

  /** Forgets threads that ended on their own; declares the first death fatal. */
  private synchronized void check() {
    if (closed) {
      return;
    }
    seen.entrySet().removeIf(e -> !e.getValue().isAlive() && !deaths.containsKey(e.getKey()));
    String why = null;
    for (String name : seen.keySet()) {
      if (deaths.containsKey(name) && why == null) {
        why = "thread " + name + " died: " + deaths.get(name);
      }
    }
    for (Map.Entry<String, Supplier<Throwable>> w : watches.entrySet()) {
      Throwable t = w.getValue().get();
      if (t != null && why == null) {
        why = w.getKey() + " stopped: " + Restarts.describe(t);
      }
    }
    if (why != null && fatal == null) {
      fatal = why;
      LOG.log(System.Logger.Level.ERROR, "aiprof: " + why + "; the agent stops (exit 70)");
      fatalHandler.accept(why);
    }
  }

  @Override
  public List<HealthCheck> checks() {
    List<HealthCheck> out = new ArrayList<>();
    out.add(
        fatal == null && (thread.isAlive() || closed)
            ? HealthCheck.pass("supervisor", "watching " + seen.size() + " threads")
            : HealthCheck.fail("supervisor", fatal == null ? "supervisor thread stopped" : fatal));
    for (Map.Entry<String, Thread> e : seen.entrySet()) {
      String name = e.getKey();
      String death = deaths.get(name);
      long restarts = Restarts.of(name);
      out.add(
          death == null
              ? HealthCheck.pass("thread:" + name, "alive, " + restarts + " restarts")
              : HealthCheck.fail("thread:" + name, "died: " + death));
    }
    for (Map.Entry<String, Supplier<Throwable>> w : watches.entrySet()) {
      Throwable t = w.getValue().get();
      out.add(
          t == null
              ? HealthCheck.pass("thread:" + w.getKey(), "alive")
              : HealthCheck.fail("thread:" + w.getKey(), "stopped: " + Restarts.describe(t)));
    }
    return out;
  }

  /** Restarts and liveness of the supervised threads. */
  public void collect(MetricSink sink) {
    Restarts.counts()
        .forEach((name, n) -> sink.counter(RESTARTS, Attributes.of(THREAD_KEY, name), n));
    for (String name : seen.keySet()) {
      sink.gauge(ALIVE, Attributes.of(THREAD_KEY, name), deaths.containsKey(name) ? 0 : 1);
    }
    watches.forEach(
        (name, f) -> sink.gauge(ALIVE, Attributes.of(THREAD_KEY, name), f.get() == null ? 1 : 0));
  }

  /** Stops watching (threads stopping from now on are not deaths); idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    thread.interrupt();
    if (Thread.getDefaultUncaughtExceptionHandler() != null) {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }
}
