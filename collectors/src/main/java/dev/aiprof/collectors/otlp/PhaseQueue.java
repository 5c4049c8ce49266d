package dev.aiprof.collectors.otlp;

import dev.aiprof.api.log.ThrottledLog;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.supervise.SupervisedLoop;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decouples the receivers' network threads from the {@link PhaseListener}: batches of phases wait
 * here, bounded by a number of spans, and one delivery thread ({@code aiprof-otlp-delivery}) hands
 * them to the listener. (The engine asks the follow service for each phase's process.) A batch that
 * does not fit is refused whole (so a retried request does not duplicate spans); a batch larger
 * than the whole queue is taken when the queue is empty, so it is not refused forever.
 *
 * <p>Lifecycle: {@link #start}, then {@link #offer} from any thread, then {@link #close}, which
 * delivers what is queued (for up to two seconds) and stops the thread. Thread-safe.
 */
final class PhaseQueue implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PhaseQueue.class.getName());
  private static final ThrottledLog THROTTLED = ThrottledLog.of(PhaseQueue.class);
  private static final List<Phase> STOP = List.of();

  private final int capacity;
  private final PhaseListener listener;
  private final OtlpCounters counters;
  private final LinkedBlockingQueue<List<Phase>> batches = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closed;

  PhaseQueue(int capacitySpans, PhaseListener listener, OtlpCounters counters) {
    this.capacity = capacitySpans;
    this.listener = listener;
    this.counters = counters;
    this.thread =
        Thread.ofPlatform()
            .name("aiprof-otlp-delivery")
            .daemon()
            // Until STOP (the loop then returns): restarted after a failure, even once closed.
            .unstarted(() -> SupervisedLoop.run("aiprof-otlp-delivery", () -> true, this::run));
  }

  void start() {
    thread.start();
  }

  /** Queues the batch for delivery; false when it does not fit (or the queue is closed). */
  boolean offer(List<Phase> batch) {
    int n = batch.size();
    if (n == 0) {
      return true;
    }
    while (true) {
      int q = queued.get();
      if (closed || (q > 0 && q + n > capacity)) {
        return false;
      }
      if (queued.compareAndSet(q, q + n)) {
        break;
      }
    }
    batches.add(batch);
    return true;
  }

  /** Spans waiting for delivery. */
  int queued() {
    return queued.get();
  }

  private void run() {
    try {
      for (List<Phase> b = batches.take(); b != STOP; b = batches.take()) {
        try {
          for (Phase p : b) {
            deliver(p);
          }
        } finally {
          // Also when an Error escapes (the loop is restarted): else the count stays up for good
          // and every request is refused as full.
          queued.addAndGet(-b.size());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(Phase p) {
    try {
      listener.onPhase(p);
    } catch (RuntimeException e) {
      counters.deliveryErrors.increment();
      THROTTLED.log(
          System.Logger.Level.WARNING, "otlp.delivery", "phase listener failed on an OTLP span", e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    batches.add(STOP);
    if (!thread.isAlive()) {
      return;
    }
    try {
      thread.join(2_000);
      if (thread.isAlive()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "phase listener still busy after 2s; dropping " + queued.get() + " queued OTLP spans");
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
