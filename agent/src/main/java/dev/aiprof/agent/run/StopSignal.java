package dev.aiprof.agent.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the agent's stop: SIGTERM or SIGINT (handled, so the orderly shutdown runs on the
 * waiting thread and the process exits 0), the end of an optional duration, or any other JVM
 * shutdown (a shutdown hook, which lets the orderly shutdown finish, for up to {@code grace}).
 *
 * <p>Lifecycle: {@link #install}, {@link #await}, then {@link #close} once the shutdown is done
 * (restores the previous handlers). Thread-safe.
 */
public final class StopSignal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StopSignal.class.getName());

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final List<Runnable> restore = new ArrayList<>();
  private final Thread hook;
  private volatile String reason = "duration elapsed";

  private StopSignal(Duration grace) {
    hook =
        new Thread(
            () -> {
              stop("JVM shutdown");
              try {
                done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "aiprof-shutdown");
  }

  /** Handles SIGTERM and SIGINT and adds the shutdown hook. */
  public static StopSignal install(Duration grace) {
    StopSignal s = new StopSignal(grace);
    for (String name : List.of("TERM", "INT")) {
      s.handle(name);
    }
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  @SuppressWarnings("removal")
  private void handle(String name) {
    try {
      sun.misc.Signal sig = new sun.misc.Signal(name);
      sun.misc.SignalHandler previous = sun.misc.Signal.handle(sig, x -> stop("SIG" + name));
      restore.add(() -> sun.misc.Signal.handle(sig, previous));
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot handle SIG" + name + ": " + e);
    }
  }

  /** Asks the waiting thread to stop. */
  public void stop(String why) {
    if (stop.getCount() > 0) {
      reason = why;
      stop.countDown();
    }
  }

  /**
   * Waits until a stop is asked for, or {@code max} passes (null: no limit).
   *
   * @return why it stopped
   */
  public String await(Duration max) throws InterruptedException {
    if (max == null) {
      stop.await();
    } else if (!stop.await(max.toNanos(), TimeUnit.NANOSECONDS)) {
      return "duration elapsed";
    }
    return reason;
  }

  /** The shutdown is done: a pending shutdown hook may let the JVM exit; handlers restored. */
  @Override
  public void close() {
    done.countDown();
    restore.forEach(Runnable::run);
    restore.clear();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already: the hook is running and now returns
    }
  }
}
