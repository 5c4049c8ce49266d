package dev.aiprof.exporters.traces;

import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.supervise.Restarts;
import dev.aiprof.api.supervise.SupervisedLoop;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded queue in front of a {@link SpanExporter}, drained in batches by one thread of its own.
 * {@link #offer} never blocks: when the queue is full, in spans ({@code capacity}) or in estimated
 * heap bytes ({@code maxBytes}, {@link SpanBytes}), the span is dropped and counted, so a slow or
 * unreachable backend costs at most that much memory and never stalls the correlation thread. A
 * batch is cut at {@code batchSize} spans or a quarter of {@code maxBytes}, so one export call
 * never serializes more than that. One export is in flight at a time; retries are the exporter's
 * (OTLP retries with backoff), and a batch it gives up on is counted as failed.
 *
 * <p>Failures are never silent: the first failed batch of an outage is logged (with the cause when
 * the exporter threw), and so is the recovery; an exporter that throws, OutOfMemoryError included,
 * fails its batch (counted) and the thread goes on. The thread's loop is supervised ({@link
 * SupervisedLoop}): should it fail anyway, it is restarted with backoff and counted, and given up
 * (the thread dies, the agent's supervisor ends the agent) only when it keeps failing.
 *
 * <p>Lifecycle: construct (starts the thread), {@link #offer} from any thread, {@link #flush},
 * {@link #close} (exports what is queued, within a deadline; does not shut the exporter down: the
 * SDK that made it does). Thread-safe.
 */
public final class SpanQueue implements AutoCloseable {
  /** The name of the export thread. */
  public static final String THREAD = "aiprof-span-export";

  /**
   * @param capacity spans held before dropping
   * @param batchSize spans per export call
   * @param delay how long a partial batch waits for more spans
   * @param exportTimeout how long one export call may take before it counts as failed
   * @param maxBytes estimated heap bytes held before dropping; a batch holds at most a quarter
   */
  public record Settings(
      int capacity, int batchSize, Duration delay, Duration exportTimeout, long maxBytes) {
    /** The default of {@code maxBytes}: 16 MiB of the agent's heap budget. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    public Settings {
      if (capacity < 1 || batchSize < 1) {
        throw new IllegalArgumentException(
            "span queue capacity " + capacity + " and batch size " + batchSize + " must be >= 1");
      }
      if (maxBytes < 4096) {
        throw new IllegalArgumentException("span queue bytes " + maxBytes + " must be >= 4096");
      }
    }

    public Settings(int capacity, int batchSize, Duration delay, Duration exportTimeout) {
      this(capacity, batchSize, delay, exportTimeout, DEFAULT_MAX_BYTES);
    }

    public static Settings defaults() {
      return new Settings(2048, 512, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }
  }

  /** A queued span and its estimated bytes. */
  private record Queued(SpanData span, long bytes) {}

  private static final System.Logger LOG = System.getLogger(SpanQueue.class.getName());

  private final SpanExporter exporter;
  private final Settings settings;
  private final ArrayBlockingQueue<Queued> queue;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final LastExport last = new LastExport("traces");
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong batchesOk = new AtomicLong();
  private final AtomicLong batchesFailed = new AtomicLong();
  private final Object idle = new Object();
  private final Canonical canonical = new Canonical();
  // The batch being filled or exported (export thread only): a field, so that a restarted loop
  // exports what the failed one held.
  private final List<Queued> batch = new ArrayList<>();
  private final Thread thread;
  private final AtomicLong outstanding = new AtomicLong();
  private volatile boolean flushing;
  private volatile boolean closed;
  private final AtomicBoolean dropLogged = new AtomicBoolean();
  private long failingBatches; // export thread only: failed batches in a row

  public SpanQueue(SpanExporter exporter, Settings settings) {
    this.exporter = exporter;
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.capacity());
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name(THREAD)
            .start(
                () ->
                    SupervisedLoop.run(THREAD, () -> !closed || outstanding.get() > 0, this::run));
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
    long size = SpanBytes.of(span);
    outstanding.incrementAndGet();
    if (closed) {
      return drop(span);
    }
    if (bytes.addAndGet(size) > settings.maxBytes()) {
      bytes.addAndGet(-size);
      return drop(span);
    }
    if (!queue.offer(new Queued(span, size))) {
      bytes.addAndGet(-size);
      return drop(span);
    }
    return true;
  }

  private boolean drop(SpanData span) {
    outstanding.decrementAndGet();
    dropped.incrementAndGet();
    if (!closed && !dropLogged.getAndSet(true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "span export queue full ("
              + queue.size()
              + " spans, ~"
              + bytes.get()
              + " bytes of at most "
              + settings.capacity()
              + " spans, "
              + settings.maxBytes()
              + " bytes): dropping spans such as '"
              + span.getName()
              + "', counted in aiprof.export.spans{aiprof.outcome=dropped}. Is the backend slow"
              + " or down? (Logged once.)");
    }
    return false;
  }

  private void run() {
    long delay = settings.delay().toNanos();
    while (true) {
      try {
        fill(batch, delay);
      } catch (InterruptedException e) {
        drainSome(batch);
        closed = true;
      }
      if (!batch.isEmpty()) {
        try {
          export(batch);
        } finally {
          // Once counted off, never exported (and counted) again by a restarted loop.
          batch.clear();
        }
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
  private void fill(List<Queued> batch, long delayNanos) throws InterruptedException {
    Queued first = queue.poll(flushing || closed ? 0 : delayNanos, TimeUnit.NANOSECONDS);
    if (first == null) {
      return;
    }
    batch.add(first);
    long batchBytes = first.bytes();
    long maxBatchBytes = settings.maxBytes() / 4;
    long deadline = System.nanoTime() + delayNanos;
    while (batch.size() < settings.batchSize() && batchBytes < maxBatchBytes) {
      Queued next = queue.peek();
      if (next == null) {
        long left = deadline - System.nanoTime();
        if (flushing || closed || left <= 0) {
          return;
        }
        next = queue.poll(left, TimeUnit.NANOSECONDS);
        if (next == null) {
          return;
        }
        batch.add(next);
      } else if (batchBytes + next.bytes() > maxBatchBytes) {
        return; // the next span starts the next batch
      } else {
        batch.add(queue.poll());
      }
      batchBytes += batch.getLast().bytes();
    }
  }

  private void drainSome(List<Queued> batch) {
    Queued q;
    while (batch.size() < settings.batchSize() && (q = queue.poll()) != null) {
      batch.add(q);
    }
  }

  /**
   * Exports one batch; never throws: an exporter that throws (an OutOfMemoryError serializing it
   * included) fails the batch.
   */
  private void export(List<Queued> batch) {
    long batchBytes = 0;
    for (Queued q : batch) {
      batchBytes += q.bytes();
    }
    Throwable thrown = null;
    boolean ok;
    try {
      List<SpanData> spans = new ArrayList<>(batch.size());
      for (Queued q : batch) {
        spans.add(q.span());
      }
      CompletableResultCode r = exporter.export(spans);
      r.join(settings.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
      ok = r.isDone() && r.isSuccess();
    } catch (Throwable e) {
      ok = false;
      thrown = e;
    }
    bytes.addAndGet(-batchBytes);
    (ok ? exported : failed).addAndGet(batch.size());
    outstanding.addAndGet(-batch.size());
    (ok ? batchesOk : batchesFailed).incrementAndGet();
    last.record(ok);
    logOutcome(ok, batch.size(), thrown);
  }

  /** One line when an outage starts (with the cause if the exporter threw), one when it ends. */
  private void logOutcome(boolean ok, int spans, Throwable thrown) {
    if (ok) {
      if (failingBatches > 0) {
        LOG.log(
            System.Logger.Level.INFO,
            "span export resumed after " + failingBatches + " failed batches");
      }
      failingBatches = 0;
      return;
    }
    if (failingBatches++ == 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "span export failed: a batch of "
              + spans
              + " spans "
              + (thrown == null
                  ? "was not accepted within " + settings.exportTimeout().toSeconds() + " s"
                  : "made the exporter throw " + Restarts.describe(thrown))
              + "; counted in aiprof.export.spans{aiprof.outcome=failed}. Make sure the backend is"
              + " running and reachable. (Logged once per outage.)");
    }
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
    int left = 0;
    for (Queued q; (q = queue.poll()) != null; left++) {
      bytes.addAndGet(-q.bytes());
    }
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

  /** Estimated heap bytes of the spans queued and in the batch being exported. */
  public long bytes() {
    return bytes.get();
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
    sink.gauge(ExportMetrics.QUEUE_BYTES, Attributes.empty(), bytes.get());
    sink.gauge(ExportMetrics.QUEUE_MAX_BYTES, Attributes.empty(), settings.maxBytes());
  }

  private static Attributes outcome(String o) {
    return Attributes.of(ExportMetrics.OUTCOME, o);
  }

  private static Attributes with(Attributes a, String o) {
    return a.toBuilder().put(ExportMetrics.OUTCOME, o).build();
  }
}
