package dev.aiprof.pipeline;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline's housekeeping thread ({@code aiprof-housekeeping}): pruning, liveness checks and
 * sweeps on their own schedules, never inside a metric collection (so they run with no metric
 * reader configured too). A task that throws is logged once, counted, and runs again at its next
 * time: the thread never dies of a task. Thread-safe.
 */
final class Housekeeping implements AutoCloseable {
  static final MetricId RUNS =
      MetricId.counter(
          "aiprof.housekeeping.runs", "Housekeeping task runs, by task and outcome", "{run}");
  static final AttributeKey<String> TASK = AttributeKey.stringKey("aiprof.task");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aiprof.outcome");

  private static final System.Logger LOG = System.getLogger(Housekeeping.class.getName());

  private record Task(String owner, String name, ScheduledFuture<?> future) {}

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("aiprof-housekeeping").unstarted(r));
  private final List<Task> tasks = new ArrayList<>();
  private final Map<String, AtomicLong[]> counts = new ConcurrentHashMap<>();

  /** Runs {@code run} every {@code interval}, first after one interval. */
  synchronized void every(String owner, String name, Duration interval, Runnable run) {
    String key = owner + "." + name;
    AtomicLong[] c =
        counts.computeIfAbsent(key, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    long ms = Math.max(1, interval.toMillis());
    Runnable guarded =
        () -> {
          try {
            run.run();
            c[0].incrementAndGet();
          } catch (Throwable t) {
            if (c[1].getAndIncrement() == 0) {
              LOG.log(
                  System.Logger.Level.WARNING,
                  "housekeeping " + key + " failed (logged once): " + t);
            }
          }
        };
    tasks.add(
        new Task(
            owner, key, executor.scheduleWithFixedDelay(guarded, ms, ms, TimeUnit.MILLISECONDS)));
  }

  /** Cancels {@code owner}'s tasks and waits for a running one to end. */
  void cancel(String owner) {
    List<Task> mine;
    synchronized (this) {
      mine = tasks.stream().filter(t -> t.owner().equals(owner)).toList();
      tasks.removeAll(mine);
    }
    mine.forEach(t -> t.future().cancel(false));
    if (executor.isShutdown() || mine.isEmpty()) {
      return; // close() already waited for the running task
    }
    try {
      executor.submit(() -> {}).get(5, TimeUnit.SECONDS); // a running task of theirs ends first
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "housekeeping of " + owner + " did not end in 5 s");
    }
  }

  boolean alive() {
    return !executor.isShutdown();
  }

  void collect(MetricSink sink) {
    counts.forEach(
        (task, c) -> {
          sink.counter(RUNS, Attributes.of(TASK, task, OUTCOME, "ok"), c[0].get());
          sink.counter(RUNS, Attributes.of(TASK, task, OUTCOME, "failed"), c[1].get());
        });
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
