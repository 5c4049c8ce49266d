package dev.aiprof.exporters.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.aiprof.api.log.ThrottledLog;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics}: renders the reader's snapshot in the format the scraper accepts (Prometheus
 * text, OpenMetrics), gzipped when it accepts gzip. Bounded: one rendering at a time on one thread
 * ({@code aiprof-metrics-render}), shared by every scrape that arrives while it runs (a scrape
 * flood costs one rendering at a time, not one each); at most two bodies are written, compressed or
 * sent at once; a scrape waits at most the render timeout and then gets 503; a body larger than the
 * size cap is refused with 503 rather than built. Both are counted ({@link #refusals}) and logged
 * throttled. Thread-safe.
 */
final class ScrapeHandler implements HttpHandler, AutoCloseable {
  /** Scrapes refused: too slow, too large, or the rendering failed. */
  public record Refusals(long slow, long large, long failed) {}

  private static final ThrottledLog LOG = ThrottledLog.of(ScrapeHandler.class);
  private static final ExpositionFormats FORMATS = ExpositionFormats.init();

  private final Supplier<MetricSnapshots> source;
  private final Duration timeout;
  private final int maxBytes;
  private final ExecutorService renderer =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().name("aiprof-metrics-render").daemon().unstarted(r));
  private final AtomicReference<CompletableFuture<MetricSnapshots>> inFlight =
      new AtomicReference<>();
  // Bodies being rendered, compressed or sent at once: each holds up to ~3x the body (the buffer,
  // its copy, the gzip), so a flood of scrapes of a large snapshot cannot fill the heap.
  private final Semaphore bodies = new Semaphore(2);
  private static final String BUSY =
      "two scrapes are being answered and neither finished within the render timeout: refused";
  private final LongAdder slow = new LongAdder();
  private final LongAdder large = new LongAdder();
  private final LongAdder failed = new LongAdder();

  ScrapeHandler(Supplier<MetricSnapshots> source, Duration timeout, int maxBytes) {
    this.source = source;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!bodies.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        slow.increment();
        LOG.log(Level.WARNING, "metrics.scrape.busy", BUSY);
        HealthHandler.send(ex, 503, "text/plain; charset=utf-8", BUSY + "\n");
        return;
      }
      try {
        respond(ex);
      } finally {
        bodies.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void respond(HttpExchange ex) throws IOException {
    String accept = ex.getRequestHeaders().getFirst("Accept");
    ExpositionFormatWriter writer = FORMATS.findWriter(accept);
    byte[] body;
    try {
      body = render(writer, EscapingScheme.fromAcceptHeader(accept));
    } catch (Refused r) {
      HealthHandler.send(ex, 503, "text/plain; charset=utf-8", r.getMessage() + "\n");
      return;
    }
    boolean gzip = acceptsGzip(ex.getRequestHeaders().getFirst("Accept-Encoding"));
    byte[] out = gzip ? gzip(body) : body;
    ex.getResponseHeaders().set("Content-Type", writer.getContentType());
    if (gzip) {
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(200, head ? -1 : out.length);
    if (!head) {
      ex.getResponseBody().write(out);
    }
  }

  /** The snapshot written with {@code writer}, or Refused naming why not. */
  byte[] render(ExpositionFormatWriter writer, EscapingScheme scheme) throws Refused {
    MetricSnapshots snapshots = collect();
    BoundedBuffer out = new BoundedBuffer(maxBytes);
    try {
      writer.write(out, snapshots, scheme);
    } catch (IOException | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BoundedBuffer.Full full) {
          large.increment();
          LOG.log(Level.WARNING, "metrics.scrape.large", full.getMessage());
          throw new Refused(full.getMessage());
        }
      }
      return fail(e);
    }
    return out.toByteArray();
  }

  /** The shared in-flight collection, or a new one; waits at most the timeout. */
  private MetricSnapshots collect() throws Refused {
    CompletableFuture<MetricSnapshots> mine = new CompletableFuture<>();
    CompletableFuture<MetricSnapshots> f =
        inFlight.compareAndExchange(null, mine) == null ? mine : inFlight.get();
    if (f == mine) {
      try {
        renderer.execute(() -> complete(mine));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        inFlight.compareAndSet(mine, null);
        throw new Refused("the metrics endpoint is closing");
      }
    } else if (f == null) {
      return collect(); // finished between the two reads: start another
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      slow.increment();
      String m =
          "collecting metrics took longer than "
              + (timeout.toMillis() < 1000
                  ? timeout.toMillis() + " ms"
                  : timeout.toSeconds() + " s")
              + " (a metric source is stuck?): scrape refused";
      LOG.log(Level.WARNING, "metrics.scrape.slow", m);
      throw new Refused(m);
    } catch (ExecutionException e) {
      return fail(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused("interrupted");
    }
  }

  private void complete(CompletableFuture<MetricSnapshots> f) {
    try {
      f.complete(source.get());
    } catch (RuntimeException | Error e) {
      f.completeExceptionally(e);
    } finally {
      inFlight.compareAndSet(f, null);
    }
  }

  private <T> T fail(Throwable e) throws Refused {
    failed.increment();
    LOG.log(Level.WARNING, "metrics.scrape.failed", "rendering /metrics failed", e);
    throw new Refused("rendering the metrics failed: " + ThrottledLog.rootCause(e));
  }

  Refusals refusals() {
    return new Refusals(slow.sum(), large.sum(), failed.sum());
  }

  private static boolean acceptsGzip(String acceptEncoding) {
    return acceptEncoding != null && acceptEncoding.toLowerCase().contains("gzip");
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(Math.max(1024, body.length / 8));
    try (GZIPOutputStream z = new GZIPOutputStream(b, 16 * 1024)) {
      z.write(body);
    }
    return b.toByteArray();
  }

  @Override
  public void close() {
    renderer.shutdownNow();
  }

  /** A scrape that cannot be answered with metrics; the message says why. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }
}
