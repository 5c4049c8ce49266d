package dev.aiprof.testing.backends;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polling with a deadline, for whatever a test waits on (no fixed sleeps). */
public final class Await {
  private Await() {}

  /**
   * Calls {@code probe} every {@code every} until it returns a non-null value, and returns that. A
   * probe that throws counts as "not yet". Fails after {@code timeout} with {@code what}, the last
   * exception and {@code context} (e.g. a server's log tail).
   */
  public static <T> T until(
      String what, Duration timeout, Duration every, Callable<T> probe, Supplier<String> context)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        T v = probe.call();
        if (v != null) {
          return v;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + (last == null ? "" : "; last error: " + last)
                + (context == null ? "" : "\n" + context.get()));
      }
      Thread.sleep(every.toMillis());
    }
  }

  /** {@link #until} without context. */
  public static <T> T until(String what, Duration timeout, Duration every, Callable<T> probe)
      throws InterruptedException {
    return until(what, timeout, every, probe, null);
  }
}
