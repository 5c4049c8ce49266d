package dev.aiprof.bpf;

/**
 * One BPF ring buffer drained by its caller: a {@link RingConsumer} over the kernel's memory
 * mapping of the ring (no call into C per record) and an epoll of its own (one {@code epoll_wait}
 * per {@link #poll}). The handler gets each record's address and size and reads it in place
 * (through {@link RawMemory} or a view such as SchedEventView), without allocating; the memory is
 * the ring's, valid only during the call.
 *
 * <p>Programs submit with {@code BPF_RB_NO_WAKEUP} until the ring fills past a threshold, so the
 * consumer calls {@link #poll} in a loop with a timeout: it sleeps until a forced wake-up or the
 * timeout, then drains everything available. To drain many rings on one thread with one epoll, use
 * {@link RingPoller} instead.
 *
 * <p>Not thread-safe: one thread polls and closes.
 */
public final class RingBuffer implements AutoCloseable {
  /** Receives one record. Runs on the polling thread; must be quick, must not keep the address. */
  @FunctionalInterface
  public interface Handler {
    void onRecord(long address, int size);
  }

  private final RingConsumer ring;
  private final Epoll epoll;
  private boolean closed;

  private RingBuffer(BpfMap map, Handler handler) {
    this.ring = new RingConsumer(map, handler);
    try {
      this.epoll = new Epoll("ring buffer " + map.name());
      epoll.add(ring.fd(), 0, map.name());
    } catch (RuntimeException e) {
      ring.close();
      throw e;
    }
  }

  public static RingBuffer open(BpfMap map, Handler handler) {
    return new RingBuffer(map, handler);
  }

  /**
   * Waits up to {@code timeoutMillis} for a wake-up, then consumes every record available. Returns
   * the number of records handed to the handler; interrupted waits return normally.
   */
  public int poll(int timeoutMillis) {
    checkOpen();
    epoll.await(timeoutMillis);
    return ring.drain();
  }

  /** Consumes every record available now, without waiting. */
  public int drain() {
    checkOpen();
    return ring.drain();
  }

  /** Where programs will reserve the next record: every record below it is reserved. */
  public long producerPosition() {
    return ring.producerPosition();
  }

  /** Where the next record to consume is: every record below it has been handed on. */
  public long consumerPosition() {
    return ring.consumerPosition();
  }

  /** Records handed to the handler so far. */
  public long records() {
    return ring.records();
  }

  /** Records the handler could not take (it threw); they are counted and skipped. */
  public long failed() {
    return ring.failed();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ring.close();
    epoll.close();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ring buffer " + ring.name() + " is closed");
    }
  }
}
