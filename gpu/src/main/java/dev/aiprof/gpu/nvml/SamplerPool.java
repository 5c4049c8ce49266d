package dev.aiprof.gpu.nvml;

import dev.aiprof.api.supervise.SupervisedLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Samples each device on its own task, so that a device whose NVML calls hang delays no other. One
 * thread ({@value #TICK}) makes a round every interval, never calling NVML: it hands each device
 * not lost to the pool ({@code aiprof-nvml-device-N}, at most {@code threads} threads, no more than
 * devices), or, while the device's previous sample still runs, skips it (counted in {@link
 * DeviceState#skipped}, the device degraded). Each device has at most one task queued or running,
 * so the queue is bounded by the device count. Both the round and each task are {@link
 * SupervisedLoop#periodic supervised}: a failure is counted and the next round goes on.
 *
 * <p>Close ({@link #stop}) stops the rounds and interrupts the tasks, and waits a bounded time. A
 * call stuck inside NVML cannot be interrupted: its thread (a daemon) ends when the call returns,
 * skipping the readings it has not started, and {@link #whenStopped} runs then. Thread-safe.
 */
final class SamplerPool {
  static final String TICK = "aiprof-nvml-sampler";

  private final List<DeviceState> devices;
  private final List<Runnable> tasks;
  private final Consumer<DeviceState> sample;
  private final Runnable afterRound;
  private final long intervalNs;
  private final ScheduledExecutorService ticks;
  private final Pool pool;
  final AtomicLong rounds = new AtomicLong();

  /**
   * @param sample takes one sample of a device and publishes it (on a pool thread)
   * @param afterRound runs on the round's thread after each round has handed out its tasks
   */
  SamplerPool(
      List<DeviceState> devices,
      int threads,
      Duration interval,
      Consumer<DeviceState> sample,
      Runnable afterRound) {
    this.devices = devices;
    this.sample = sample;
    this.afterRound = afterRound;
    this.intervalNs = interval.toNanos();
    this.tasks =
        devices.stream()
            .map(d -> SupervisedLoop.periodic("aiprof-nvml-device", () -> sampleOnce(d)))
            .toList();
    int n = Math.max(1, Math.min(threads, devices.size()));
    AtomicInteger id = new AtomicInteger();
    this.pool =
        new Pool(
            n,
            Math.max(1, devices.size()),
            r ->
                Thread.ofPlatform()
                    .daemon()
                    .name("aiprof-nvml-device-" + id.getAndIncrement())
                    .unstarted(r));
    this.ticks =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name(TICK).unstarted(r));
  }

  /** The pool's bound on threads. */
  int threads() {
    return pool.getMaximumPoolSize();
  }

  void start() {
    ticks.scheduleAtFixedRate(
        SupervisedLoop.periodic(TICK, this::round), 0, intervalNs, TimeUnit.NANOSECONDS);
  }

  /** One round: every device not lost handed to the pool, or skipped while still sampled. */
  void round() {
    for (int i = 0; i < devices.size(); i++) {
      DeviceState d = devices.get(i);
      if (d.lost() == null && d.begin()) {
        hand(d, tasks.get(i));
      }
    }
    rounds.incrementAndGet();
    afterRound.run();
  }

  private void hand(DeviceState d, Runnable task) {
    try {
      pool.execute(task);
    } catch (RejectedExecutionException e) {
      d.end(0, intervalNs); // stopping
    } catch (RuntimeException | Error e) {
      d.end(0, intervalNs); // e.g. no thread could be made: not marked busy for good
      throw e;
    }
  }

  private void sampleOnce(DeviceState d) {
    long t0 = System.nanoTime();
    try {
      sample.accept(d);
    } finally {
      d.end(System.nanoTime() - t0, intervalNs);
    }
  }

  /**
   * Stops the rounds, interrupts the tasks and waits up to {@code wait} for them; false when a task
   * is still inside NVML (it ends when its call returns).
   */
  boolean stop(Duration wait) throws InterruptedException {
    ticks.shutdownNow();
    pool.shutdownNow();
    long end = System.nanoTime() + wait.toNanos();
    ticks.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
    return pool.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code then} once, when every task has ended (now, if they have); after {@link #stop}. */
  void whenStopped(Runnable then) {
    AtomicBoolean done = new AtomicBoolean();
    pool.then =
        () -> {
          if (done.compareAndSet(false, true)) {
            then.run();
          }
        };
    if (pool.isTerminated()) {
      pool.then.run();
    }
  }

  /** The executor, with a hook for when its last thread has ended. */
  private static final class Pool extends ThreadPoolExecutor {
    volatile Runnable then;

    Pool(int threads, int queue, ThreadFactory factory) {
      super(threads, threads, 0, TimeUnit.NANOSECONDS, new ArrayBlockingQueue<>(queue), factory);
    }

    @Override
    protected void terminated() {
      Runnable r = then;
      if (r != null) {
        r.run();
      }
    }
  }
}
