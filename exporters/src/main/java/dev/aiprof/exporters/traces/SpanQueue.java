package dev.aiprof.exporters.traces;

import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.exporters.ExportMetrics;
import dev.aiprof.exporters.LastExport;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded queue in front of a {@link SpanExporter}, drained in batches by one thread of its own.
 * {@link #offer} never blocks: when the queue is full the span is dropped and counted, so a slow or
 * unreachable backend costs at most {@code capacity} spans of memory and never stalls the
 * correlation thread. One export is in flight at a time; retries are the exporter's (OTLP retries
 * with backoff), and a batch it gives up on is counted as failed.
 *
 * <p>Lifecycle: construct (starts the thread), {@link #offer} from any thread, {@link #flush},
 * {@link #close} (exports what is queued, within a deadline; does not shut the exporter down: the
 * SDK that made it does). Thread-safe.
 */
public final class SpanQueue implements AutoCloseable {
  /**
   * @param capacity spans held before dropping
   * @param batchSize spans per export call
   * @param delay how long a partial batch waits for more spans
   * @param exportTimeout how long one export call may take before it counts as failed
   */
  public record Settings(int capacity, int batchSize, Duration delay, Duration exportTimeout) {
    public Settings {
      if (capacity < 1 || batchSize < 1) {
        throw new IllegalArgumentException(
            "span queue capacity " + capacity + " and batch size " + batchSize + " must be >= 1");
      }
    }

    public static Settings defaults() {
      return new Settings(2048, 512, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }
  }

  private static final System.Logger LOG = System.getLogger(SpanQueue.class.getName());

  private final SpanExporter exporter;
  private final Settings settings;
  private final ArrayBlockingQueue<SpanData> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final LastExport last = new LastExport("traces");
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong batchesOk = new AtomicLong();
  private final AtomicLong batchesFailed = new AtomicLong();
  private final Object idle = new Object();
  private final Canonical canonical = new Canonical();
  private final Thread thread;
  private final AtomicLong outstanding = new AtomicLong();
  private volatile boolean flushing;
  private volatile boolean closed;
  private boolean warned;

  public SpanQueue(SpanExporter exporter, Settings settings) {
    this.exporter = exporter;
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.capacity());
    this.thread = Thread.ofPlatform().daemon().name("aiprof-span-export").start(this::run);
  }

  /**
   * Queues a span for export; false (and counted) when the queue is full or closed. A {@link
   * SpanRecord}'s resource and scope are replaced by equal instances kept from earlier spans
   * ({@link Canonical}), so the exporters serialize each once.
   */
  public boolean offer(SpanData span) {
    if (span instanceof SpanRecord r) {
      span = canonical.of(r);
    }
    outstanding.incrementAndGet();
    if (closed || !queue.offer(span)) {
      outstanding.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  private void run() {
    List<SpanData> batch = new ArrayList<>(settings.batchSize());
    long delay = settings.delay().toNanos();
    while (true) {
      try {
        fill(batch, delay);
      } catch (InterruptedException e) {
        queue.drainTo(batch, settings.batchSize() - batch.size());
        closed = true;
      }
      if (!batch.isEmpty()) {
        export(batch);
        batch.clear();
      }
      if (outstanding.get() == 0) {
        synchronized (idle) {
          idle.notifyAll();
        }
        if (closed) {
          return;
        }
      }
    }
  }

  /** Waits for a first span, then for a full batch or the delay, whichever comes first. */
  private void fill(List<SpanData> batch, long delayNanos) throws InterruptedException {
    SpanData first = queue.poll(flushing || closed ? 0 : delayNanos, TimeUnit.NANOSECONDS);
    if (first == null) {
      return;
    }
    batch.add(first);
    long deadline = System.nanoTime() + delayNanos;
    while (batch.size() < settings.batchSize()) {
      queue.drainTo(batch, settings.batchSize() - batch.size());
      long left = deadline - System.nanoTime();
      if (batch.size() >= settings.batchSize() || flushing || closed || left <= 0) {
        return;
      }
      SpanData next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
    }
  }

  private void export(List<SpanData> batch) {
    boolean ok;
    try {
      CompletableResultCode r = exporter.export(List.copyOf(batch));
      r.join(settings.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
      ok = r.isDone() && r.isSuccess();
    } catch (RuntimeException e) {
      ok = false;
      if (!warned) {
        warned = true;
        LOG.log(System.Logger.Level.WARNING, "span exporter failed: " + e);
      }
    }
    (ok ? exported : failed).addAndGet(batch.size());
    last.record(ok);
    (ok ? batchesOk : batchesFailed).incrementAndGet();
    outstanding.addAndGet(-batch.size());
  }

  /** Exports everything queued now; true when done within {@code timeout}. */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    flushing = true;
    try {
      synchronized (idle) {
        while (outstanding.get() > 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !thread.isAlive()) {
            return false;
          }
          idle.wait(Math.max(1, left / 1_000_000));
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      flushing = false;
    }
  }

  /** Stops accepting spans and exports what is queued, waiting at most {@code timeout}. */
  public void close(Duration timeout) {
    flush(timeout);
    closed = true;
    thread.interrupt();
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = queue.size();
    queue.clear();
    dropped.addAndGet(left);
    outstanding.addAndGet(-left);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /** When an export last succeeded and failed. */
  public LastExport last() {
    return last;
  }

  public long dropped() {
    return dropped.get();
  }

  public long exported() {
    return exported.get();
  }

  public long failed() {
    return failed.get();
  }

  public int size() {
    return queue.size();
  }

  public int capacity() {
    return settings.capacity();
  }

  /** The queue's counters as metrics. */
  public void collect(MetricSink sink) {
    sink.counter(ExportMetrics.SPANS, outcome("exported"), exported.get());
    sink.counter(ExportMetrics.SPANS, outcome("failed"), failed.get());
    sink.counter(ExportMetrics.SPANS, outcome("dropped"), dropped.get());
    Attributes traces = Attributes.of(ExportMetrics.SIGNAL, "traces");
    sink.counter(ExportMetrics.BATCHES, with(traces, "success"), batchesOk.get());
    sink.counter(ExportMetrics.BATCHES, with(traces, "failure"), batchesFailed.get());
    sink.gauge(ExportMetrics.QUEUE_SIZE, Attributes.empty(), queue.size());
    sink.gauge(ExportMetrics.QUEUE_CAPACITY, Attributes.empty(), settings.capacity());
  }

  private static Attributes outcome(String o) {
    return Attributes.of(ExportMetrics.OUTCOME, o);
  }

  private static Attributes with(Attributes a, String o) {
    return a.toBuilder().put(ExportMetrics.OUTCOME, o).build();
  }
}
