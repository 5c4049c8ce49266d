package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.aiprof.agent.run.OtlpReceiver;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Ports;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with spans queued: they reach a real OTLP/HTTP backend before the agent exits; with a
 * backend that accepts and never answers, the agent still exits by {@code agent.shutdown-timeout}.
 * The spans come in over the agent's own OTLP receiver and wait in its export queue (a 10 min batch
 * delay) until SIGTERM.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class ShutdownDeadlineIT {
  static final int SPANS = 20;

  @TempDir Path dir;

  private RunningAgent start(String tracesEndpoint, int receiver, int prom, String deadline)
      throws Exception {
    return RunningAgent.start(
        List.of(
            "--collectors",
            "sched,otlp",
            "--prometheus-address",
            "127.0.0.1:" + prom,
            "--output-dir",
            dir.toString(),
            "--set",
            "otlp.http-address=127.0.0.1:" + receiver,
            "--set",
            "otlp.grpc-address=off",
            "--set",
            "agent.shutdown-timeout=" + deadline),
        Map.of(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", tracesEndpoint,
            "OTEL_EXPORTER_OTLP_TIMEOUT", "60000",
            "OTEL_METRICS_EXPORTER", "prometheus",
            "AIPROF_EXPORTER_SPAN_DELAY", "10m"));
  }

  /** Sends {@link #SPANS} spans to the agent's OTLP receiver and waits until they are queued. */
  private static void queueSpans(RunningAgent a, int receiver, int prom) throws Exception {
    a.awaitLine("running until");
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request().toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    // described = handed to the span queue; the export thread holds them for the 10 min delay
    String t =
        a.awaitSeries(prom, "aiprof_correlation_phases_total{aiprof_outcome=\"described\"", SPANS);
    assertThat(RunningAgent.value(t, "aiprof_export_spans_total{aiprof_outcome=\"exported\""))
        .isZero();
  }

  @Test
  void spansQueuedAtSigtermReachTheBackend() throws Exception {
    int receiver = Ports.free();
    int prom = Ports.free();
    try (OtlpReceiver backend = new OtlpReceiver();
        RunningAgent a = start(backend.endpoint() + "/v1/traces", receiver, prom, "10s")) {
      queueSpans(a, receiver, prom);
      assertThat(backend.traces).as("nothing sent before SIGTERM").isEmpty();
      a.signal("TERM");
      assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(a.process.exitValue()).as(a.stderr()).isZero();
      List<String> names = new ArrayList<>();
      backend.traces.forEach(
          t ->
              t.getResourceSpansList()
                  .forEach(
                      rs ->
                          rs.getScopeSpansList()
                              .forEach(
                                  ss -> ss.getSpansList().forEach(s -> names.add(s.getName())))));
      assertThat(names).filteredOn(n -> n.startsWith("queued-")).hasSize(SPANS);
      assertThat(a.stderr())
          .contains("aiprof run: stopped")
          .doesNotContain("exited at the deadline");
    }
  }

  @Test
  void aHangingBackendCannotDelayTheExitPastTheDeadline() throws Exception {
    int receiver = Ports.free();
    int prom = Ports.free();
    try (ServerSocket hang = new ServerSocket(0);
        RunningAgent a =
            start("http://127.0.0.1:" + hang.getLocalPort() + "/v1/traces", receiver, prom, "2s")) {
      List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  while (true) {
                    held.add(hang.accept()); // accepted, never read, never answered
                  }
                } catch (java.io.IOException e) {
                  // closed
                }
              });
      queueSpans(a, receiver, prom);
      long t0 = System.nanoTime();
      a.signal("TERM");
      assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("SIGTERM to exit with a hanging backend, 2s deadline: %.2f s%n", seconds);
      assertThat(a.process.exitValue()).as(a.stderr()).isZero();
      assertThat(seconds).as("exit by the deadline plus JVM exit").isLessThan(3.5);
      assertThat(held).as("the agent did try the backend").isNotEmpty();
      System.out.println(a.stderr().lines().filter(l -> l.contains("stop")).toList());
    }
  }

  static ExportTraceServiceRequest request() {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < SPANS; i++) {
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      trace[15] = (byte) (i + 1);
      span[7] = (byte) (i + 1);
      long start = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
      ss.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(trace))
              .setSpanId(ByteString.copyFrom(span))
              .setName("queued-" + i)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + 1_000_000));
    }
    KeyValue service =
        KeyValue.newBuilder()
            .setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue("shutdown-test"))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(service))
                .addScopeSpans(ss))
        .build();
  }
}
