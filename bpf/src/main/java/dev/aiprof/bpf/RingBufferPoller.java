package dev.aiprof.bpf;

import java.time.Duration;

/**
 * One ring buffer on a poll thread of its own: a {@link RingPoller} holding a single ring. Kept for
 * the callers that start one thread per probe; new code adds every probe's ring to one shared
 * {@link RingPoller} instead. Same interval policy, watermark and counts; {@link #close()} stops
 * the thread, drains what is left and frees the ring, waiting at most one interval plus a second.
 */
public final class RingBufferPoller implements AutoCloseable {
  private final RingPoller poller;
  private final RingPoller.Ring ring;

  private RingBufferPoller(
      BpfMap map,
      RingBuffer.Handler handler,
      Duration minInterval,
      Duration maxInterval,
      String name) {
    this.poller = RingPoller.start(name, minInterval, maxInterval);
    try {
      this.ring = poller.add(map, handler);
    } catch (RuntimeException e) {
      poller.close();
      throw e;
    }
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
    return new RingBufferPoller(map, handler, minInterval, maxInterval, name);
  }

  public long records() {
    return ring.records();
  }

  public long failed() {
    return ring.failed();
  }

  /** See {@link RingPoller.Ring#drainedUntil()}. */
  public long drainedUntil() {
    return ring.drainedUntil();
  }

  /** The error that stopped the polling thread, or null while it runs or after a clean stop. */
  public Throwable failure() {
    return poller.failure();
  }

  @Override
  public void close() {
    poller.close();
  }
}
