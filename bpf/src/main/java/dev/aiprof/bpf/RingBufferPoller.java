package dev.aiprof.bpf;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Owns a {@link RingBuffer} and the daemon thread that drains it every {@code interval} (or sooner
 * when a program forces a wake-up). {@link #close()} stops the thread, drains what is left and
 * frees the ring; it waits at most one interval plus a second.
 */
public final class RingBufferPoller implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RingBufferPoller.class.getName());

  private final RingBuffer ring;
  private final Thread thread;
  private final int intervalMillis;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Throwable failure;
  private volatile long drainedUntil = Long.MIN_VALUE;

  private RingBufferPoller(BpfMap map, RingBuffer.Handler handler, Duration interval, String name) {
    this.ring = RingBuffer.open(map, handler);
    this.intervalMillis = (int) Math.max(1, interval.toMillis());
    this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
  }

  /** Opens the ring buffer of {@code map} and starts draining it on a thread named {@code name}. */
  public static RingBufferPoller start(
      BpfMap map, RingBuffer.Handler handler, Duration interval, String name) {
    RingBufferPoller p = new RingBufferPoller(map, handler, interval, name);
    p.thread.start();
    return p;
  }

  public long records() {
    return ring.records();
  }

  public long failed() {
    return ring.failed();
  }

  /**
   * CLOCK_MONOTONIC time (System.nanoTime on Linux, bpf_ktime_get_ns in the kernel) before which
   * every record committed to the ring has been handed to the handler: the start of the last
   * completed drain.
   */
  public long drainedUntil() {
    return drainedUntil;
  }

  /** The error that stopped the polling thread, or null while it runs or after a clean stop. */
  public Throwable failure() {
    return failure;
  }

  private void run() {
    try {
      while (running) {
        long t = System.nanoTime();
        ring.poll(intervalMillis);
        drainedUntil = t;
      }
      ring.drain();
    } catch (Throwable t) {
      failure = t;
      LOG.log(System.Logger.Level.WARNING, "ring buffer polling stopped: " + t.getMessage());
    } finally {
      ring.close();
      stopped.countDown();
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      if (!stopped.await(intervalMillis + 1000L, TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "ring buffer poller did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
