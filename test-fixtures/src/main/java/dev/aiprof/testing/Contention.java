package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Workload generator for scheduler tests, run as its own process (pin it with taskset):
 *
 * <pre>
 *   busy   THREADS                      spin forever
 *   victim THREADS SLEEP_US SPIN_US     sleep, then spin, in a loop
 * </pre>
 *
 * Threads are named {@code busy-N} / {@code victim-N} (visible in /proc/PID/task/TID/comm). The
 * process prints {@code ready} once its threads exist, starts their loops on a {@code go} line on
 * stdin, and exits on {@code stop} or end of stdin.
 */
public final class Contention {
  private static volatile boolean go;
  private static volatile boolean stop;

  private Contention() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int threads = Integer.parseInt(args[1]);
    long sleepNs = args.length > 2 ? Long.parseLong(args[2]) * 1000 : 0;
    long spinNs = args.length > 3 ? Long.parseLong(args[3]) * 1000 : 0;
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Runnable body =
          mode.equals("busy") ? Contention::spinForever : () -> sleepSpin(sleepNs, spinNs);
      started.add(Thread.ofPlatform().name(mode + "-" + i).daemon().start(body));
    }
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("go")) {
        go = true;
      } else if (line.equals("stop")) {
        break;
      }
    }
    stop = true;
    for (Thread t : started) {
      t.join(1000);
    }
  }

  private static void awaitGo() {
    while (!go && !stop) {
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static void spinForever() {
    awaitGo();
    long x = 0;
    while (!stop) {
      x += System.nanoTime() & 1;
    }
    if (x == 42) {
      System.out.print("");
    }
  }

  private static void sleepSpin(long sleepNs, long spinNs) {
    awaitGo();
    while (!stop) {
      LockSupport.parkNanos(sleepNs);
      long until = System.nanoTime() + spinNs;
      while (System.nanoTime() < until && !stop) {
        Thread.onSpinWait();
      }
    }
  }

  /** Reads lines until {@code expected}; returns false at end of stream. */
  static boolean awaitLine(BufferedReader r, String expected) throws IOException {
    String line;
    while ((line = r.readLine()) != null) {
      if (line.equals(expected)) {
        return true;
      }
    }
    return false;
  }
}
