package dev.aiprof.bpf;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Owns a {@link RingBuffer} and the daemon thread that drains it (sooner when a program forces a
 * wake-up). The interval adapts: it starts at {@code minInterval} and doubles up to {@code
 * maxInterval} while drains find little (each timed wake-up costs ~0.1 ms of CPU on a VM), and
 * halves when a drain finds a lot, so a busy ring is drained a few thousand records at a time.
 * {@link #close()} stops the thread, drains what is left and frees the ring; it waits at most one
 * interval plus a second.
 */
public final class RingBufferPoller implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RingBufferPoller.class.getName());

  private final RingBuffer ring;
  private final Thread thread;
  private final int minMillis;
  private final int maxMillis;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Throwable failure;
  private volatile long drainedUntil = Long.MIN_VALUE;

  /** Drains that find fewer records than this let the interval grow... */
  private static final int FEW = 4096;

  /** ...and more than this make it shrink: each drain then takes a few thousand records. */
  private static final int MANY = 16384;

  private RingBufferPoller(
      BpfMap map,
      RingBuffer.Handler handler,
      Duration minInterval,
      Duration maxInterval,
      String name) {
    this.ring = RingBuffer.open(map, handler);
    this.minMillis = (int) Math.max(1, minInterval.toMillis());
    this.maxMillis = (int) Math.max(minMillis, maxInterval.toMillis());
    this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
  }

  /**
   * Like {@link #start(BpfMap, RingBuffer.Handler, Duration, Duration, String)}, fixed interval.
   */
  public static RingBufferPoller start(
      BpfMap map, RingBuffer.Handler handler, Duration interval, String name) {
    return start(map, handler, interval, interval, name);
  }

  /**
   * Opens the ring buffer of {@code map} and starts draining it on a thread named {@code name},
   * every {@code minInterval} to {@code maxInterval}.
   */
  public static RingBufferPoller start(
      BpfMap map,
      RingBuffer.Handler handler,
      Duration minInterval,
      Duration maxInterval,
      String name) {
    RingBufferPoller p = new RingBufferPoller(map, handler, minInterval, maxInterval, name);
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
   * every record committed to the ring has been handed to the handler: the start of the last drain
   * that caught up with the producer. (A program stalled between taking a timestamp and reserving
   * its record — a vCPU the hypervisor took away — can still submit a record older than this;
   * consumers allow a margin.)
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
      int interval = minMillis;
      long checkT = Long.MIN_VALUE;
      long checkPos = Long.MAX_VALUE;
      while (running) {
        if (checkT == Long.MIN_VALUE) {
          // A checkpoint: every record reserved before this moment lies below this position.
          checkT = System.nanoTime();
          checkPos = ring.producerPosition();
        }
        int n = ring.poll(interval);
        if (ring.consumerPosition() >= checkPos) {
          drainedUntil = checkT; // all of them handed on, even if a later record is mid-write
          checkT = Long.MIN_VALUE;
        }
        if (n < FEW) {
          interval = Math.min(maxMillis, interval * 2);
        } else if (n > MANY) {
          interval = Math.max(minMillis, interval / 2);
        }
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
      if (!stopped.await(maxMillis + 1000L, TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "ring buffer poller did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
