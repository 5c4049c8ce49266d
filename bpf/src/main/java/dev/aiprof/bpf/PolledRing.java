package dev.aiprof.bpf;

/**
 * The state of one ring of a {@link RingPoller} behind its public face, {@link RingPoller.Ring}:
 * the consumer, the watermark, the close. Reads are safe from any thread; the rest runs under the
 * poller's lock.
 */
final class PolledRing {
  private final RingPoller poller;
  private final RingConsumer consumer;
  private volatile long drainedUntil = Long.MIN_VALUE;
  private volatile boolean closed;
  private long checkT = Long.MIN_VALUE; // the rest: guarded by the poller's lock
  private long checkPos;
  private boolean draining; // the poll thread is inside this ring's drain

  PolledRing(RingPoller poller, RingConsumer consumer) {
    this.poller = poller;
    this.consumer = consumer;
  }

  String name() {
    return consumer.name();
  }

  long drainedUntil() {
    return drainedUntil;
  }

  long records() {
    return consumer.records();
  }

  long failed() {
    return consumer.failed();
  }

  boolean closed() {
    return closed;
  }

  /** See {@link RingPoller.Ring#close()}. */
  void close() {
    poller.lock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        poller.remove(this);
      } finally {
        if (!draining) {
          finish();
        }
      }
    } finally {
      poller.lock().unlock();
    }
  }

  int fd() {
    return consumer.fd();
  }

  /** A checkpoint: every record reserved before this moment lies below this position. */
  void checkpoint() {
    checkT = System.nanoTime();
    checkPos = consumer.producerPosition();
  }

  /** One drain of a pass, then the watermark (or, closed by its handler, the rest of the close). */
  int drainOnce() {
    if (closed) {
      return 0;
    }
    int n;
    draining = true;
    try {
      n = consumer.drain();
    } finally {
      draining = false;
    }
    if (closed) {
      finish();
      return n;
    }
    if (consumer.consumerPosition() >= checkPos) {
      drainedUntil = checkT; // all of them handed on, even if a later record is mid-write
      checkT = Long.MIN_VALUE;
    }
    if (checkT == Long.MIN_VALUE) {
      checkpoint();
    }
    return n;
  }

  /** The poller is closing: drain and unmap without touching its ring list. */
  void shutdown() {
    closed = true;
    finish();
  }

  /** Drains the rest and unmaps; once. */
  private void finish() {
    if (consumer.closed()) {
      return;
    }
    try {
      consumer.drain();
    } finally {
      consumer.close();
      poller.retire(consumer.records(), consumer.failed());
    }
  }

  @Override
  public String toString() {
    return "PolledRing[" + consumer.name() + "]";
  }
}
