package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.id;
import static dev.aiprof.collectors.otlp.TestSpans.kv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.collectors.TestPipeline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How many spans per second the receiver turns into delivered phases, over gRPC and over
 * HTTP/protobuf, with 4 concurrent senders of 512-span requests (the SDKs' default batch) on
 * loopback, with the CPU time the receiver's own threads spent per span. Logged, never asserted on:
 * the machine is shared (senders and receiver run in this one JVM on the same CPUs). Refused
 * requests (full queue) are retried after 5 ms, as an exporter would.
 */
class OtlpThroughputIT {
  private static final int SENDERS = 4;
  private static final int BATCH = 512;
  private static final int REQUESTS_PER_SENDER = 60;
  private static final long TOTAL = (long) SENDERS * BATCH * REQUESTS_PER_SENDER;

  /** Counts phases as the receiver delivers them (the pipeline's tap); keeps nothing. */
  private static final class Counter implements PhaseListener {
    final AtomicLong phases = new AtomicLong();

    @Override
    public void onPhase(Phase phase) {
      phases.incrementAndGet();
    }
  }

  interface Sender {
    /** Sends one request; false when refused as retryable. */
    boolean send(ExportTraceServiceRequest r) throws Exception;
  }

  static ExportTraceServiceRequest batch(int pid) {
    long t0 = System.currentTimeMillis() * 1_000_000L;
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      spans.add(
          Span.newBuilder()
              .setTraceId(id(TestSpans.TRACE))
              .setSpanId(id(String.format("%016x", i + 1)))
              .setParentSpanId(id(TestSpans.PARENT))
              .setName("decode")
              .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
              .setStartTimeUnixNano(t0 + i * 1000L)
              .setEndTimeUnixNano(t0 + i * 1000L + 500)
              .addAttributes(kv("thread.id", pid + 1 + i % 8))
              .addAttributes(kv("gen_ai.request.model", "llama-3-8b"))
              .addAttributes(kv("gen_ai.usage.output_tokens", i))
              .addAttributes(kv("batch.index", i))
              .addAttributes(kv("vllm.phase", "decode"))
              .addEvents(Span.Event.newBuilder().setName("token").setTimeUnixNano(t0 + i * 1000L))
              .build());
    }
    return TestSpans.request(
        List.of(kv("process.pid", pid), kv("service.name", "bench")), spans.toArray(Span[]::new));
  }

  private static double run(String what, Sender sender, Counter counter) throws Exception {
    ExportTraceServiceRequest request = batch(4242);
    AtomicLong refused = new AtomicLong();
    long start = counter.phases.get();
    long cpu0 = receiverCpuNs();
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(SENDERS)) {
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < REQUESTS_PER_SENDER; i++) {
                    while (!sender.send(request)) {
                      refused.incrementAndGet();
                      Thread.sleep(5);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (counter.phases.get() - start < TOTAL && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(counter.phases.get() - start).as("every span delivered").isEqualTo(TOTAL);
    double rate = TOTAL / seconds;
    double cpuPerSpan = (receiverCpuNs() - cpu0) / (double) TOTAL;
    System.out.printf(
        "OTLP throughput %s: %,d spans in %.2f s = %,.0f spans/s, receiver threads %.1f us CPU"
            + " per span (%d requests refused and retried)%n",
        what, TOTAL, seconds, rate, cpuPerSpan / 1e3, refused.get());
    return rate;
  }

  /**
   * CPU time of the receiver's own threads (decode, convert, deliver: aiprof-otlp-*) and of the
   * carrier threads of virtual threads (OTLP/HTTP handlers run on virtual threads; nothing else in
   * this test does); socket I/O on gRPC's event loops and the JDK server's dispatcher is not
   * included.
   */
  private static long receiverCpuNs() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("aiprof-otlp-")
          || t.getClass().getName().equals("jdk.internal.misc.CarrierThread")) {
        sum += Math.max(0, mx.getThreadCpuTime(t.threadId()));
      }
    }
    return sum;
  }

  @Test
  void measuresSpansPerSecondOverGrpcAndHttp() throws Exception {
    Counter counter = new Counter();
    TestPipeline pipeline =
        TestPipeline.start(
            Set.of(OtlpProvider.NAME),
            Map.of(
                OtlpSettings.GRPC_ADDRESS.key(), "127.0.0.1:0",
                OtlpSettings.HTTP_ADDRESS.key(), "127.0.0.1:0",
                OtlpSettings.QUEUE_SIZE.key(), "16384"),
            counter);
    OtlpCollector collector;
    try {
      collector = pipeline.collector(OtlpProvider.NAME, OtlpCollector.class);
    } catch (AssertionError e) {
      pipeline.close();
      throw e;
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", collector.grpcAddress().orElseThrow().getPort())
            .usePlaintext()
            .build();
    HttpClient http = HttpClient.newHttpClient();
    URI url =
        URI.create(
            "http://127.0.0.1:" + collector.httpAddress().orElseThrow().getPort() + "/v1/traces");
    try {
      TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
      Sender grpc =
          r -> {
            try {
              stub.withDeadlineAfter(30, TimeUnit.SECONDS).export(r);
              return true;
            } catch (StatusRuntimeException e) {
              if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                return false;
              }
              throw e;
            }
          };
      Sender httpProtobuf =
          r -> {
            byte[] body = r.toByteArray();
            int status =
                http.send(
                        HttpRequest.newBuilder(url)
                            .header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                        BodyHandlers.discarding())
                    .statusCode();
            assertThat(status).isIn(200, 503);
            return status == 200;
          };
      System.out.printf(
          "request: %d spans, %,d bytes of protobuf%n", BATCH, batch(1).getSerializedSize());
      run("gRPC warm-up", grpc, counter);
      run("HTTP warm-up", httpProtobuf, counter);
      run("gRPC", grpc, counter);
      run("HTTP/protobuf", httpProtobuf, counter);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      pipeline.close();
    }
  }
}
