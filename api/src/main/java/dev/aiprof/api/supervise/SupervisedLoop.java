package dev.aiprof.api.supervise;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs a long-running thread's loop and restarts it when it throws (an {@link Error} such as
 * OutOfMemoryError or StackOverflowError included): each restart is counted ({@link Restarts}), the
 * first of each failure class is logged, and the loop resumes after a backoff that doubles from 100
 * ms to 10 s and starts over once the loop has run a minute without failing. A loop that fails
 * {@value #MAX_QUICK_FAILURES} times in a row without such a minute is given up: the last failure
 * is rethrown, the thread dies, and the agent's supervisor ends the agent with that cause (a
 * half-dead agent is worse than one restarted by systemd or Kubernetes).
 *
 * <p>Stateless; the body keeps its own state (a loop that failed mid-batch accounts for that batch
 * itself before it throws, or on its next start).
 */
public final class SupervisedLoop {
  /** Failures in a row, each within a minute of the last start, before the loop is given up. */
  public static final int MAX_QUICK_FAILURES = 8;

  static final long MIN_BACKOFF_NS = 100_000_000L;
  static final long MAX_BACKOFF_NS = 10_000_000_000L;
  static final long HEALTHY_NS = 60_000_000_000L;

  private static final System.Logger LOG = System.getLogger(SupervisedLoop.class.getName());

  /** One run of the loop: returns when the loop is done, throws when it failed. */
  @FunctionalInterface
  public interface Body {
    void run() throws InterruptedException;
  }

  /** How the loop waits between restarts (tests pass one that does not sleep). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private SupervisedLoop() {}

  /**
   * Runs {@code body} on this thread until it returns, {@code running} turns false, or this thread
   * is interrupted; restarts it after each failure (see the class comment).
   */
  public static void run(String name, BooleanSupplier running, Body body) {
    run(name, running, body, System::nanoTime, SupervisedLoop::sleep);
  }

  static void run(
      String name, BooleanSupplier running, Body body, LongSupplier clock, Sleeper sleeper) {
    long backoff = MIN_BACKOFF_NS;
    int quick = 0;
    java.util.Set<Class<?>> logged = new java.util.HashSet<>();
    while (running.getAsBoolean()) {
      long started = clock.getAsLong();
      try {
        body.run();
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable t) {
        if (clock.getAsLong() - started >= HEALTHY_NS) {
          backoff = MIN_BACKOFF_NS;
          quick = 0;
        }
        if (++quick >= MAX_QUICK_FAILURES) {
          LOG.log(
              System.Logger.Level.ERROR,
              "thread " + name + " failed " + quick + " times in a row, giving up: " + t,
              t);
          throw t;
        }
        Restarts.record(name, t);
        if (logged.size() < 16 && logged.add(t.getClass())) {
          LOG.log(
              System.Logger.Level.WARNING,
              "thread "
                  + name
                  + " failed, restarting it (counted in aiprof.thread.restarts; logged once per"
                  + " cause): "
                  + Restarts.describe(t),
              t);
        }
        try {
          sleeper.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(MAX_BACKOFF_NS, backoff * 2);
      }
    }
  }

  /**
   * A periodic task that survives its own failures: a scheduled executor cancels a task that
   * throws, silently, and its thread lives on idle (half-dead). The task returned catches what
   * {@code task} throws (an {@link Error} included), counts it as a restart of {@code name} and
   * logs the first of each failure class, so the next period runs it again.
   */
  public static Runnable periodic(String name, Runnable task) {
    java.util.Set<Class<?>> logged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        Restarts.record(name, t);
        if (logged.size() < 16 && logged.add(t.getClass())) {
          LOG.log(
              System.Logger.Level.WARNING,
              "periodic task of "
                  + name
                  + " failed; it runs again next period (counted in aiprof.thread.restarts;"
                  + " logged once per cause): "
                  + Restarts.describe(t),
              t);
        }
      }
    };
  }

  private static void sleep(long nanos) throws InterruptedException {
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
  }
}
