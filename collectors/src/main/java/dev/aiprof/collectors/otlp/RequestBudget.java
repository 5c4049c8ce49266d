package dev.aiprof.collectors.otlp;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bytes of request bodies the HTTP receiver holds at once, bounded: a request takes its share
 * (its Content-Length, or the whole size limit when the length is unknown or the body is gzipped)
 * before reading its body and returns it when answered. Past the budget a request waits briefly and
 * is then refused with the retryable 503. Memory for bodies is then at most the budget, whatever
 * the number of connections. Thread-safe.
 */
final class RequestBudget {
  /** How long a request waits for its share before the 503. */
  static final long WAIT_MILLIS = 1000;

  private final Semaphore bytes;
  private final int total;

  /** A budget of {@code 8 × maxRequestBytes}, at least 32 MiB, at most 256 MiB. */
  static RequestBudget forLimit(int maxRequestBytes) {
    long b = Math.clamp(8L * maxRequestBytes, 32L << 20, 256L << 20);
    return new RequestBudget((int) b);
  }

  RequestBudget(int total) {
    this.total = total;
    this.bytes = new Semaphore(total);
  }

  /** A share of {@code n} bytes (at most the whole budget), or null when none came in time. */
  Share take(long n) throws InterruptedException {
    int want = (int) Math.clamp(n, 1, total);
    return bytes.tryAcquire(want, WAIT_MILLIS, TimeUnit.MILLISECONDS) ? new Share(want) : null;
  }

  int total() {
    return total;
  }

  /** A share taken; closing gives it back. */
  final class Share implements AutoCloseable {
    private final int n;
    private boolean closed;

    private Share(int n) {
      this.n = n;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        bytes.release(n);
      }
    }
  }
}
