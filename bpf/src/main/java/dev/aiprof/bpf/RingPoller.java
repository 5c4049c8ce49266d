package dev.aiprof.bpf;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Drains any number of BPF ring buffers on one daemon thread, woken through one epoll: every probe
 * {@link #add}s its ring, and the agent runs one poll thread instead of one per probe (each
 * thread's own context switches feed the scheduler probe). Each pass waits for a forced wake-up of
 * any ring (or the interval), then drains every ring. The interval adapts: it starts at {@code
 * minInterval} and doubles up to {@code maxInterval} while passes find little (each timed wake-up
 * costs ~0.1 ms of CPU on a VM), and halves when a pass finds a lot. Records are read in place:
 * nothing is allocated per record.
 *
 * <p>Per ring, a {@link Ring} publishes a watermark ({@link Ring#drainedUntil()}), its counts, and
 * closes on its own. A handler that throws is counted ({@link Ring#failed()}) and the ring goes on.
 *
 * <p>Lifecycle: {@link #start} → {@link #add} rings, from any thread, at any time → {@link
 * #close()}, which stops the thread, drains and unmaps every ring (also after the thread died: see
 * {@link #failure()}). Thread-safety: every method is safe from any thread, handlers included;
 * handlers run on the poll thread only, never two at once. Draining and closing rings are
 * serialized by one lock, so {@link Ring#close()} and the totals wait for a pass in progress.
 */
public final class RingPoller implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RingPoller.class.getName());

  /** Passes that find fewer records than this let the interval grow... */
  private static final int FEW = 4096;

  /** ...and more than this make it shrink: each pass then takes a few thousand records. */
  private static final int MANY = 16384;

  private static final long RING = 0;
  private static final long WAKE = 1;

  private final String name;
  private final int minMillis;
  private final int maxMillis;
  private final Epoll epoll;
  private final int wakeFd;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile PolledRing[] rings = new PolledRing[0];
  private volatile boolean running = true;
  private volatile Throwable failure;
  private boolean shut; // guarded by lock
  private long closedRecords; // of rings closed already; guarded by lock
  private long closedFailed;

  private RingPoller(String name, Duration minInterval, Duration maxInterval) {
    this.name = name;
    this.minMillis = (int) Math.max(1, minInterval.toMillis());
    this.maxMillis = (int) Math.max(minMillis, maxInterval.toMillis());
    this.epoll = new Epoll("ring poller " + name);
    try {
      this.wakeFd = Syscalls.eventfd("ring poller " + name);
      epoll.add(wakeFd, WAKE, "wake-up eventfd");
    } catch (RuntimeException e) {
      epoll.close();
      throw e;
    }
    this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
  }

  /**
   * Starts the poll thread, named {@code threadName}, with no rings yet; passes run every {@code
   * minInterval} to {@code maxInterval} (adaptive), or sooner when a program forces a wake-up.
   */
  public static RingPoller start(String threadName, Duration minInterval, Duration maxInterval) {
    RingPoller p = new RingPoller(threadName, minInterval, maxInterval);
    p.thread.start();
    return p;
  }

  /**
   * Maps the ring buffer of {@code ringBufferMap} (of a loaded object, which must outlive the ring)
   * and drains it from the next pass on, handing each record to {@code handler} on the poll thread.
   * Throws {@link IllegalStateException} once the poller is closed or its thread stopped.
   */
  public Ring add(BpfMap ringBufferMap, RingBuffer.Handler handler) {
    RingConsumer consumer = new RingConsumer(ringBufferMap, handler);
    lock.lock();
    try {
      if (shut || !running) {
        throw new IllegalStateException(
            "add " + consumer.name() + " to ring poller " + name + ": it is closed");
      }
      if (failure != null) {
        throw new IllegalStateException(
            "add " + consumer.name() + " to ring poller " + name + ": its thread stopped", failure);
      }
      PolledRing r = new PolledRing(this, consumer);
      epoll.add(consumer.fd(), RING, consumer.name());
      r.checkpoint();
      PolledRing[] now = Arrays.copyOf(rings, rings.length + 1);
      now[now.length - 1] = r;
      rings = now;
      return new Ring(r);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /** Records handed to handlers so far, over every ring this poller has had. */
  public long records() {
    lock.lock();
    try {
      long n = closedRecords;
      for (PolledRing r : rings) {
        n += r.records();
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Records whose handler threw, over every ring this poller has had. */
  public long failed() {
    lock.lock();
    try {
      long n = closedFailed;
      for (PolledRing r : rings) {
        n += r.failed();
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** The error that stopped the poll thread, or null while it runs or after a clean stop. */
  public Throwable failure() {
    return failure;
  }

  /** Whether the poll thread is running: false after {@link #close()} or a {@link #failure()}. */
  public boolean alive() {
    return thread.isAlive() && failure == null && running;
  }

  private void run() {
    try {
      int interval = minMillis;
      while (running) {
        int ready = epoll.await(interval);
        int n;
        lock.lock();
        try {
          for (int i = 0; i < ready; i++) {
            if (epoll.readyData(i) == WAKE) {
              Syscalls.eventfdClear(wakeFd);
            }
          }
          n = drainAll();
        } finally {
          lock.unlock();
        }
        if (n < FEW) {
          interval = Math.min(maxMillis, interval * 2);
        } else if (n > MANY) {
          interval = Math.max(minMillis, interval / 2);
        }
      }
    } catch (Throwable t) {
      failure = t;
      LOG.log(System.Logger.Level.WARNING, "ring poller " + name + " stopped: " + t, t);
    } finally {
      try {
        if (!running) {
          shutdown(); // a requested stop: drain and close everything here
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "ring poller " + name + ": close failed: " + e, e);
      } finally {
        stopped.countDown();
      }
    }
  }

  /** One pass over every ring; under the lock. */
  private int drainAll() {
    int n = 0;
    for (PolledRing r : rings) {
      n += r.drainOnce();
    }
    return n;
  }

  /**
   * Stops the thread (waiting at most one interval plus a second), then drains and closes every
   * ring and the epoll. Idempotent. Called from a handler, the thread does this after its pass.
   */
  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      if (shut) {
        return;
      }
      Syscalls.eventfdSignal(wakeFd);
    } finally {
      lock.unlock();
    }
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      if (!stopped.await(maxMillis + 1000L, TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "ring poller " + name + " did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdown();
  }

  private void shutdown() {
    lock.lock();
    try {
      if (shut) {
        return;
      }
      shut = true;
      RuntimeException first = null;
      for (PolledRing r : rings) {
        try {
          r.shutdown();
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      rings = new PolledRing[0];
      epoll.close();
      Fds.close(wakeFd);
      if (first != null) {
        throw first;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Removes {@code r} (its {@link Ring#close()}); under the lock. */
  void remove(PolledRing r) {
    rings = Arrays.stream(rings).filter(x -> x != r).toArray(PolledRing[]::new);
    epoll.remove(r.fd(), r.name());
  }

  /** Adds a closed ring's counts to the totals; under the lock. */
  void retire(long ringRecords, long ringFailed) {
    closedRecords += ringRecords;
    closedFailed += ringFailed;
  }

  ReentrantLock lock() {
    return lock;
  }

  @Override
  public String toString() {
    return "RingPoller[" + name + ", " + rings.length + " rings]";
  }

  /**
   * One ring buffer drained by a {@link RingPoller} ({@link RingPoller#add}): its watermark, its
   * counts, and its removal. {@link #close()} is safe from any thread (its own handler included):
   * it drains what is left and unmaps the ring. Reads are safe from any thread.
   */
  public static final class Ring implements AutoCloseable {
    private final PolledRing ring;

    private Ring(PolledRing ring) {
      this.ring = ring;
    }

    /** The ring buffer map's name. */
    public String name() {
      return ring.name();
    }

    /**
     * CLOCK_MONOTONIC time (System.nanoTime on Linux, bpf_ktime_get_ns in the kernel) before which
     * every record committed to this ring has been handed to the handler: the time of the last
     * (time, producer position) checkpoint the consumer has passed. {@link Long#MIN_VALUE} until
     * the first. (A program stalled between taking a timestamp and reserving its record — a vCPU
     * the hypervisor took away — can still submit a record older than this; consumers allow a
     * margin.)
     */
    public long drainedUntil() {
      return ring.drainedUntil();
    }

    /** Records handed to the handler so far. */
    public long records() {
      return ring.records();
    }

    /** Records whose handler threw; they are counted and skipped. */
    public long failed() {
      return ring.failed();
    }

    /** Whether {@link #close()} was called (or the poller closed). */
    public boolean closed() {
      return ring.closed();
    }

    /**
     * Stops draining this ring: drains what is left, unmaps the ring, and adds its counts to the
     * poller's totals. Idempotent; from the ring's own handler it completes when that drain ends.
     */
    @Override
    public void close() {
      ring.close();
    }

    @Override
    public String toString() {
      return "Ring[" + ring.name() + "]";
    }
  }
}
