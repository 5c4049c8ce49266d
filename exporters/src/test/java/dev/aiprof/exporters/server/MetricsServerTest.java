package dev.aiprof.exporters.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.health.HealthCheck;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The metrics server's bounds and its health endpoints, on loopback port 0. */
class MetricsServerTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static MetricSnapshots series(int n) {
    CounterSnapshot.Builder c = CounterSnapshot.builder().name("aiprof_test");
    for (int i = 0; i < n; i++) {
      c.dataPoint(
          CounterSnapshot.CounterDataPointSnapshot.builder()
              .labels(Labels.of("i", Integer.toString(i)))
              .value(i)
              .build());
    }
    return MetricSnapshots.of(c.build());
  }

  private static MetricsServer start(Supplier<MetricSnapshots> s, int maxBytes) throws Exception {
    return start(s, maxBytes, Duration.ofMillis(300));
  }

  private static MetricsServer start(Supplier<MetricSnapshots> s, int maxBytes, Duration timeout)
      throws Exception {
    return MetricsServer.start(
        new InetSocketAddress("127.0.0.1", 0), new ScrapeHandler(s, timeout, maxBytes));
  }

  private static HttpResponse<String> get(MetricsServer m, String path) throws Exception {
    URI u = URI.create("http://127.0.0.1:" + m.address().getPort() + path);
    return CLIENT.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void scrapesAreServedAndHealthIsOkWithoutSources() throws Exception {
    try (MetricsServer m = start(() -> series(3), 1 << 20)) {
      HttpResponse<String> r = get(m, "/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("aiprof_test_total{i=\"2\"} 2.0");
      assertThat(get(m, "/healthz").body()).isEqualTo("ok liveness\n");
      assertThat(get(m, "/readyz").body()).isEqualTo("ok readiness\n");
    }
  }

  @Test
  void aFailingCheckIs503ListingTheChecks() throws Exception {
    try (MetricsServer m = start(() -> series(1), 1 << 20)) {
      m.health(
          () -> List.of(HealthCheck.pass("thread:aiprof-correlation", "alive")),
          () -> List.of(HealthCheck.fail("exporter:otlp", "connection refused")));
      assertThat(get(m, "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(m, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .isEqualTo("failed readiness\n[-] exporter:otlp: connection refused\n");
      assertThat(get(m, "/readyz?format=json").body())
          .isEqualTo(
              "{\"status\":\"failed\",\"checks\":[{\"name\":\"exporter:otlp\",\"ok\":false,"
                  + "\"detail\":\"connection refused\"}]}\n");
      m.health(
          () -> List.of(),
          () -> {
            throw new IllegalStateException("boom");
          });
      assertThat(get(m, "/readyz").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void aStuckSourceIs503WithinTheTimeoutAndConcurrentScrapesShareOneCollection() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger collections = new AtomicInteger();
    Supplier<MetricSnapshots> stuck =
        () -> {
          collections.incrementAndGet();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return series(1);
        };
    try (MetricsServer m = start(stuck, 1 << 20)) {
      long t0 = System.nanoTime();
      List<Thread> scrapers = new java.util.ArrayList<>();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger busy = new AtomicInteger();
      for (int i = 0; i < 10; i++) {
        scrapers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        HttpResponse<String> r = get(m, "/metrics");
                        if (r.statusCode() == 503) {
                          refused.incrementAndGet();
                        }
                        if (r.body().startsWith("two scrapes are being answered")) {
                          busy.incrementAndGet();
                        }
                      } catch (Exception e) {
                        throw new RuntimeException(e);
                      }
                    }));
      }
      for (Thread t : scrapers) {
        t.join();
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      release.countDown();
      System.out.printf(
          "metrics-bounds: 10 scrapes of a stuck source: %d refused with 503 in %.0f ms (timeout"
              + " 300 ms), %d of them before rendering (two bodies at a time), %d collection(s)%n",
          refused.get(), ms, busy.get(), collections.get());
      assertThat(refused).hasValue(10);
      assertThat(busy.get())
          .as("scrapes past the two in hand wait, then are refused")
          .isBetween(1, 8);
      assertThat(collections).hasValue(1);
      assertThat(m.refusals().slow()).isEqualTo(10);
    }
  }

  @Test
  void aScrapeLargerThanTheCapIs503() throws Exception {
    MetricSnapshots many = series(20_000);
    try (MetricsServer m = start(() -> many, 64 << 10, Duration.ofSeconds(30))) {
      HttpResponse<String> r = get(m, "/metrics");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).startsWith("the metrics are larger than 64 KiB: scrape refused");
      assertThat(m.refusals().large()).isEqualTo(1);
    }
  }
}
