package dev.aiprof.collectors.jfr;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.supervise.SupervisedLoop;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-off between the JFR stream threads (one per JVM) and the {@link PhaseListener}:
 * one delivery thread ({@code aiprof-jfr-phases}) calls the listener; when the listener is slower
 * than the JVMs and the queue is full, new phases are dropped and counted, so memory stays bounded
 * and no stream waits. A listener that throws is counted ({@code listener_failed}) and logged once.
 *
 * <p>Thread-safe: {@link #offer} from any thread; {@link #close} once.
 */
final class PhaseQueue implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PhaseQueue.class.getName());

  private final BlockingQueue<Phase> queue;
  private final PhaseListener listener;
  private final JfrCounters counters;
  private final Thread thread;
  private volatile boolean closed;
  private boolean loggedFailure;

  PhaseQueue(int capacity, PhaseListener listener, JfrCounters counters) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.listener = listener;
    this.counters = counters;
    this.thread =
        Thread.ofPlatform()
            .name("aiprof-jfr-phases")
            .daemon()
            .start(
                () ->
                    SupervisedLoop.run(
                        "aiprof-jfr-phases", () -> !closed || !queue.isEmpty(), this::deliver));
  }

  /** Queues a phase, or counts it dropped when the queue is full. Never blocks. */
  void offer(Phase phase) {
    if (closed || !queue.offer(phase)) {
      counters.drop(JfrCounters.Drop.QUEUE_FULL);
    }
  }

  int size() {
    return queue.size();
  }

  private void deliver() {
    while (!closed || !queue.isEmpty()) {
      Phase p;
      try {
        p = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (p != null) {
        hand(p);
      }
    }
  }

  private void hand(Phase p) {
    try {
      listener.onPhase(p);
    } catch (RuntimeException e) {
      counters.drop(JfrCounters.Drop.LISTENER_FAILED);
      if (!loggedFailure) {
        loggedFailure = true;
        LOG.log(System.Logger.Level.WARNING, "phase listener failed (logged once): " + e);
      }
    }
  }

  /**
   * Delivers what is queued, waiting up to a second; what a slow listener has not taken by then is
   * counted as dropped. The delivery thread ends after the phase it is handing over.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    while (queue.poll() != null) {
      counters.drop(JfrCounters.Drop.QUEUE_FULL);
    }
  }
}
