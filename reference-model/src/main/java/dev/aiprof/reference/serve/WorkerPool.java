package dev.aiprof.reference.serve;

import dev.aiprof.reference.os.LinuxThreads;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The inference worker threads {@code infer-worker-N}, one {@link Worker} each, taking jobs from
 * the bounded request queue; each ends the job's {@code queue} span when it takes the job. Pinned
 * to one CPU when asked. {@link #close()} stops them (after their current job).
 */
final class WorkerPool implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final BlockingQueue<Job> queue;
  private volatile boolean stop;

  WorkerPool(List<Worker> workers, BlockingQueue<Job> queue, int cpu) {
    this.queue = queue;
    for (int i = 0; i < workers.size(); i++) {
      Worker w = workers.get(i);
      threads.add(
          Thread.ofPlatform()
              .name("infer-worker-" + i)
              .start(
                  () -> {
                    if (cpu >= 0) {
                      LinuxThreads.pinTo(cpu);
                    }
                    loop(w);
                  }));
    }
  }

  private void loop(Worker w) {
    while (!stop) {
      Job j;
      try {
        j = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (j == null) {
        continue;
      }
      j.queue().end();
      try (Scope s = j.parent().makeCurrent()) {
        j.result().complete(w.handle(j.question(), j.maxTokens(), j.arrivalNanos()));
      } catch (RuntimeException | Error e) {
        j.result().completeExceptionally(e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join(30_000);
    }
  }
}
