package dev.aiprof.reference.llm.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a {@link RowTask} over the calling thread and {@code threads - 1} named daemon workers
 * ({@code aiprof-llm-matmul-N}), one contiguous slice of rows each, and returns when all are done.
 * Allocates nothing per run: workers wait parked for a generation counter to move. One caller at a
 * time (the generator's thread); {@link #close()} stops the workers and is idempotent.
 */
final class RowPool implements AutoCloseable {
  /** Below this much work (rows x columns) a task runs on the caller alone. */
  static final long MIN_PARALLEL_WORK = 1 << 15;

  private static final int SPINS = 2_000;

  private final Thread[] workers;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile int generation;
  private volatile boolean closed;
  private volatile Thread caller;
  private volatile Throwable failure;
  private RowTask task;
  private int rows;

  RowPool(int threads, String namePrefix) {
    workers = new Thread[Math.max(0, threads - 1)];
    for (int i = 0; i < workers.length; i++) {
      int slice = i + 1;
      workers[i] = new Thread(() -> work(slice), namePrefix + slice);
      workers[i].setDaemon(true);
      workers[i].start();
    }
  }

  /** The worker threads (for tests and diagnostics). */
  java.util.List<Thread> workers() {
    return java.util.List.of(workers);
  }

  /** Threads that share a task, the caller included. */
  int threads() {
    return workers.length + 1;
  }

  /** Runs {@code t} over {@code n} rows of {@code cols} columns each, split when worth it. */
  void run(RowTask t, int n, int cols) {
    if (workers.length == 0 || (long) n * cols < MIN_PARALLEL_WORK || closed) {
      t.rows(0, n);
      return;
    }
    task = t;
    rows = n;
    caller = Thread.currentThread();
    pending.set(workers.length);
    generation++; // volatile write: publishes task and rows
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    t.rows(0, bound(1, n));
    awaitWorkers();
    Throwable f = failure;
    if (f != null) {
      failure = null;
      throw new IllegalStateException("a matmul worker failed: " + f, f);
    }
  }

  private int bound(int slice, int n) {
    return (int) ((long) n * slice / threads());
  }

  private void awaitWorkers() {
    for (int spin = 0; pending.get() > 0; spin++) {
      if (spin < SPINS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
  }

  private void work(int slice) {
    int seen = 0;
    while (true) {
      for (int spin = 0; generation == seen && !closed; spin++) {
        if (spin < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      if (closed) {
        return;
      }
      seen = generation;
      int n = rows;
      try {
        task.rows(bound(slice, n), bound(slice + 1, n));
      } catch (RuntimeException | Error e) {
        failure = e;
      } finally {
        if (pending.decrementAndGet() == 0) {
          LockSupport.unpark(caller);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
  }
}
