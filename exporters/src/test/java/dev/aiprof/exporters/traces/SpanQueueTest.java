package dev.aiprof.exporters.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.exporters.ExportMetrics;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpanQueueTest {
  private static SpanQueue.Settings settings(int capacity, int batch) {
    return new SpanQueue.Settings(capacity, batch, Duration.ofMillis(20), Duration.ofSeconds(5));
  }

  @Test
  void spansAreExportedInBatchesAndFlushWaitsForThem() {
    InMemorySpanExporter out = InMemorySpanExporter.create();
    try (SpanQueue q = new SpanQueue(out, settings(100, 10))) {
      for (int i = 0; i < 35; i++) {
        assertThat(q.offer(TestSpans.span(i))).isTrue();
      }
      assertThat(q.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(out.getFinishedSpanItems()).hasSize(35);
      assertThat(q.exported()).isEqualTo(35);
      assertThat(q.dropped()).isZero();
    }
  }

  @Test
  void aStuckExporterNeverBlocksOfferAndTheQueueDropsAndCounts() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    SpanExporter stuck =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> spans) {
            calls.incrementAndGet();
            CompletableResultCode r = new CompletableResultCode();
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      r.succeed();
                    });
            return r;
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    try (SpanQueue q = new SpanQueue(stuck, settings(50, 10))) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 10_000; i++) {
        q.offer(TestSpans.span(i));
      }
      long offerNanos = System.nanoTime() - t0;
      assertThat(offerNanos)
          .as("10,000 offers against a stuck backend return at once")
          .isLessThan(TimeUnit.SECONDS.toNanos(5));
      assertThat(q.size()).isLessThanOrEqualTo(50);
      // at most one batch in flight plus a full queue were accepted
      assertThat(q.dropped()).isGreaterThanOrEqualTo(10_000 - 50 - 10);
      assertThat(calls.get()).as("one export at a time").isEqualTo(1);
      release.countDown();
      assertThat(q.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(q.exported() + q.failed() + q.dropped()).isEqualTo(10_000);
      Map<String, Double> m = metrics(q);
      assertThat(m.get("aiprof.export.spans/dropped")).isEqualTo((double) q.dropped());
      assertThat(m.get("aiprof.export.queue.capacity/")).isEqualTo(50.0);
    }
  }

  @Test
  void aBackendThatIsDownCountsFailuresAndStaysBounded() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    SpanExporter otlp =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + port + "/v1/traces")
            .setTimeout(Duration.ofMillis(500))
            .setRetryPolicy(
                RetryPolicy.builder()
                    .setInitialBackoff(Duration.ofMillis(10))
                    .setMaxBackoff(Duration.ofMillis(50))
                    .build())
            .build();
    try (SpanQueue q = new SpanQueue(otlp, settings(64, 16))) {
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 50; i++) {
          q.offer(TestSpans.span(i));
        }
        assertThat(q.size()).isLessThanOrEqualTo(64);
      }
      assertThat(q.flush(Duration.ofSeconds(60))).isTrue();
      assertThat(q.failed()).as("the exporter gave up on them").isPositive();
      assertThat(q.exported()).isZero();
      assertThat(q.failed() + q.dropped()).isEqualTo(1000);
      assertThat(metrics(q).get("aiprof.export.batches/failure")).isPositive();
    } finally {
      otlp.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void closeExportsWhatIsQueuedAndLaterOffersAreDropped() {
    InMemorySpanExporter out = InMemorySpanExporter.create();
    SpanQueue q =
        new SpanQueue(
            out, new SpanQueue.Settings(100, 100, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    for (int i = 0; i < 5; i++) {
      q.offer(TestSpans.span(i));
    }
    q.close(Duration.ofSeconds(10));
    assertThat(out.getFinishedSpanItems()).hasSize(5);
    assertThat(q.offer(TestSpans.span(9))).isFalse();
    assertThat(q.dropped()).isEqualTo(1);
  }

  /** The queue's metrics by "name/outcome". */
  static Map<String, Double> metrics(SpanQueue q) {
    Map<String, Double> m = new HashMap<>();
    q.collect(
        new MetricSink() {
          @Override
          public void counter(MetricId id, Attributes a, double v) {
            m.put(id.name() + "/" + orEmpty(a.get(ExportMetrics.OUTCOME)), v);
          }

          @Override
          public void gauge(MetricId id, Attributes a, double v) {
            m.put(id.name() + "/", v);
          }

          @Override
          public void histogram(
              MetricId id, Attributes a, dev.aiprof.api.metrics.Log2Histogram h, long s) {}
        });
    return m;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  @Test
  void settingsRefuseAZeroCapacity() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings(0, 1))
        .hasMessageContaining("capacity 0");
    assertThat(List.of(settings(1, 1).capacity())).containsExactly(1);
  }

  @Test
  void equalResourcesAndScopesOfSpansReachTheExporterAsOneInstanceEach() {
    InMemorySpanExporter out = InMemorySpanExporter.create();
    try (SpanQueue q = new SpanQueue(out, settings(100, 10))) {
      for (int i = 0; i < 20; i++) {
        SpanRecord s = TestSpans.span(i);
        io.opentelemetry.sdk.resources.Resource r =
            io.opentelemetry.sdk.resources.Resource.create(
                io.opentelemetry.api.common.Attributes.of(
                    io.opentelemetry.api.common.AttributeKey.stringKey("k8s.pod.uid"),
                    "pod-" + i % 2));
        assertThat(
                q.offer(
                    s.with(
                        r,
                        io.opentelemetry.sdk.common.InstrumentationScopeInfo.create("dev.aiprof"))))
            .isTrue();
      }
      assertThat(q.flush(Duration.ofSeconds(10))).isTrue();
      List<SpanData> got = out.getFinishedSpanItems();
      assertThat(got).hasSize(20);
      assertThat(got.stream().map(SpanData::getResource).distinct()).hasSize(2);
      assertThat(
              got.stream()
                  .map(x -> System.identityHashCode(x.getResource()))
                  .collect(java.util.stream.Collectors.toSet()))
          .as("one instance per distinct resource")
          .hasSize(2);
      assertThat(
              got.stream()
                  .map(x -> System.identityHashCode(x.getInstrumentationScopeInfo()))
                  .collect(java.util.stream.Collectors.toSet()))
          .hasSize(1);
      assertThat(got.get(3).getSpanContext()).isEqualTo(TestSpans.span(3).getSpanContext());
    }
  }
}
