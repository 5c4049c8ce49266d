package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread that sleeps, then runs, and tells the times it saw, for tests of episodes whose events
 * the probe did not see. Prints {@code ready}, then the thread's {@code tid N}; on a {@code go}
 * line it prints {@code sleeping T0} and sleeps SLEEP_MS, prints {@code woke T1} as soon as it runs
 * again, spins until a {@code spin-done} line and SPIN_MS more, sleeps 10 ms once more and prints
 * {@code done}. Times are CLOCK_MONOTONIC ns. The main thread reads the lines.
 *
 * <p>Usage: {@code SleepThenSpin CPU SLEEP_MS SPIN_MS}: the sleeping thread runs on CPU alone
 * (start the process elsewhere).
 */
public final class SleepThenSpin {
  private static volatile boolean go;
  private static volatile boolean released;
  private static volatile int tid;
  private static final java.util.concurrent.CountDownLatch started =
      new java.util.concurrent.CountDownLatch(1);

  private SleepThenSpin() {}

  public static void main(String[] args) throws Exception {
    int cpu = Integer.parseInt(args[0]);
    long sleepNs = Long.parseLong(args[1]) * 1_000_000L;
    long spinNs = Long.parseLong(args[2]) * 1_000_000L;
    Thread worker = Thread.ofPlatform().name("sleeper").start(() -> work(cpu, sleepNs, spinNs));
    started.await();
    say("ready");
    say("tid " + tid);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (!Contention.awaitLine(in, "go")) {
      System.exit(1);
    }
    go = true;
    LockSupport.unpark(worker);
    Contention.awaitLine(in, "spin-done"); // or the end of input: let it finish either way
    released = true;
    worker.join();
  }

  private static void work(int cpu, long sleepNs, long spinNs) {
    Libc.pinTo(cpu);
    tid = Libc.gettid();
    started.countDown();
    while (!go) {
      LockSupport.park();
    }
    say("sleeping " + System.nanoTime());
    LockSupport.parkNanos(sleepNs);
    say("woke " + System.nanoTime());
    while (!released) {
      Thread.onSpinWait();
    }
    long until = System.nanoTime() + spinNs;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    LockSupport.parkNanos(10_000_000L);
    say("done");
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
