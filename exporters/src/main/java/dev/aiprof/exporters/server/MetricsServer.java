package dev.aiprof.exporters.server;

import com.sun.net.httpserver.HttpServer;
import dev.aiprof.api.health.HealthSource;
import dev.aiprof.api.http.HttpServers;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The metrics and health endpoint on one port: {@code /metrics} ({@link ScrapeHandler}), {@code
 * /healthz} (liveness) and {@code /readyz} (readiness) ({@link HealthHandler}); 404 elsewhere. The
 * health sources may be set after start ({@link #health}); until then both answer healthy with no
 * checks ({@link HealthSource#NONE}).
 *
 * <p>Lifecycle: {@link #start} binds, {@link #close} stops (idempotent). Thread-safe.
 */
public final class MetricsServer implements AutoCloseable {
  /** How long one rendering of {@code /metrics} may take before the scrape gets 503. */
  public static final Duration RENDER_TIMEOUT = Duration.ofSeconds(5);

  /** The largest {@code /metrics} body (uncompressed); a larger one is refused with 503. */
  public static final int MAX_SCRAPE_BYTES = 32 << 20;

  private final HttpServer server;
  private final ScrapeHandler scrape;
  private final HealthHandler liveness = new HealthHandler("liveness");
  private final HealthHandler readiness = new HealthHandler("readiness");

  private MetricsServer(HttpServer server, ScrapeHandler scrape) {
    this.server = server;
    this.scrape = scrape;
  }

  /**
   * Binds and starts.
   *
   * @throws IOException when it cannot bind
   */
  public static MetricsServer start(InetSocketAddress address, PrometheusMetricReader reader)
      throws IOException {
    return start(address, new ScrapeHandler(reader::collect, RENDER_TIMEOUT, MAX_SCRAPE_BYTES));
  }

  static MetricsServer start(InetSocketAddress address, ScrapeHandler scrape) throws IOException {
    HttpServer server = HttpServers.create(address, "aiprof-metrics-http");
    MetricsServer m = new MetricsServer(server, scrape);
    server.createContext("/metrics", scrape);
    server.createContext("/healthz", m.liveness);
    server.createContext("/readyz", m.readiness);
    server.createContext("/", HealthHandler::notFound);
    server.start();
    return m;
  }

  /** Answers {@code /healthz} from {@code liveness} and {@code /readyz} from {@code readiness}. */
  public void health(HealthSource liveness, HealthSource readiness) {
    this.liveness.source(liveness);
    this.readiness.source(readiness);
  }

  /** Where it listens (the real port when bound to 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Scrapes refused because rendering was too slow or too large, by reason. */
  public ScrapeHandler.Refusals refusals() {
    return scrape.refusals();
  }

  @Override
  public void close() {
    server.stop(0);
    scrape.close();
  }
}
