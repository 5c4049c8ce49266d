package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.collectors.CollectorRunner;
import dev.aiprof.collectors.RecordingSink;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where the receiver listens, and what happens when it cannot. */
class OtlpListenIT {
  private static OtlpCollector start(Map<String, String> settings) throws IOException {
    return start(settings, new PhaseRecorder());
  }

  private static OtlpCollector start(Map<String, String> settings, PhaseRecorder recorder)
      throws IOException {
    OtlpCollector c = new OtlpCollector();
    try {
      c.start(RunningReceiver.context(settings, recorder, new ClockSync()));
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * With no settings the receiver binds the standard ports on loopback only, where the OTel SDKs'
   * default endpoints (localhost:4317, http://localhost:4318/v1/traces) reach it without any
   * configuration. Needs 4317 and 4318 free on this machine (nothing else here listens there).
   */
  @Test
  void byDefaultItListensOnLoopbackOnTheStandardPortsWhereSdkDefaultsReachIt() throws Exception {
    PhaseRecorder recorder = new PhaseRecorder();
    try (OtlpCollector c = start(Map.of(), recorder)) {
      InetSocketAddress grpc = c.grpcAddress().orElseThrow();
      InetSocketAddress http = c.httpAddress().orElseThrow();
      assertThat(grpc.getAddress().isLoopbackAddress()).as(grpc.toString()).isTrue();
      assertThat(grpc.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
      assertThat(grpc.getPort()).isEqualTo(4317);
      assertThat(http.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
      assertThat(http.getPort()).isEqualTo(4318);
      for (SpanExporter defaults :
          List.of(OtlpGrpcSpanExporter.getDefault(), OtlpHttpSpanExporter.getDefault())) {
        try (SdkTracerProvider provider =
            SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(defaults))
                .build()) {
          provider.get("defaults").spanBuilder("via-" + defaults).startSpan().end();
          assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
      }
      assertThat(recorder.await(2)).hasSize(2);
    }
  }

  @Test
  void aPortInUseIsAStartFailureNamingTheAddressAndTheFix() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      assertThatThrownBy(
              () -> start(Map.of("otlp.grpc-address", address, "otlp.http-address", "off")))
          .isInstanceOf(IOException.class)
          .hasMessage(
              "OTLP/gRPC receiver cannot listen on "
                  + address
                  + ": address already in use (another OTLP receiver or collector?); set"
                  + " otlp.grpc-address=host:port to another port, 'off' to not listen, or"
                  + " otlp.enabled=false");
      assertThatThrownBy(
              () -> start(Map.of("otlp.grpc-address", "off", "otlp.http-address", address)))
          .hasMessageStartingWith(
              "OTLP/HTTP receiver cannot listen on " + address + ": address already in use")
          .hasMessageContaining("set otlp.http-address=host:port");

      OtlpCollector failed = new OtlpCollector();
      try (CollectorRunner runner = new CollectorRunner(List.of(failed))) {
        List<CollectorRunner.Status> st =
            runner.start(
                RunningReceiver.context(
                    Map.of("otlp.grpc-address", "127.0.0.1:0", "otlp.http-address", address),
                    new PhaseRecorder(),
                    new ClockSync()));
        assertThat(st.getFirst().running()).isFalse();
        assertThat(st.getFirst().error()).contains("otlp.http-address");
        assertThat(failed.grpcAddress()).as("the gRPC side is closed again").isEmpty();
      }
    }
  }

  @Test
  void eachTransportCanBeOffAndTheWholeReceiverDisabled() throws IOException {
    try (OtlpCollector c =
        start(Map.of("otlp.grpc-address", "off", "otlp.http-address", "localhost:0"))) {
      assertThat(c.grpcAddress()).isEmpty();
      assertThat(c.httpAddress().orElseThrow().getAddress().isLoopbackAddress()).isTrue();
    }
    try (OtlpCollector c = start(Map.of("otlp.enabled", "false"))) {
      assertThat(c.grpcAddress()).isEmpty();
      assertThat(c.httpAddress()).isEmpty();
      RecordingSink sink = new RecordingSink();
      c.collect(sink);
      assertThat(sink.of(OtlpMetrics.SPANS_RECEIVED))
          .singleElement()
          .extracting(RecordingSink.Point::value)
          .isEqualTo(0.0);
    }
  }

  @Test
  void badSettingsFailTheStartNamingTheKey() {
    assertThatThrownBy(() -> start(Map.of("otlp.grpc-address", "127.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid otlp.grpc-address '127.0.0.1': give a host and a port");
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: bind fails without any traffic.
    assertThatThrownBy(() -> start(Map.of("otlp.grpc-address", "192.0.2.1:0")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("OTLP/gRPC receiver cannot listen on 192.0.2.1:0: ")
        .hasMessageContaining("Cannot assign requested address")
        .hasMessageEndingWith(
            "set otlp.grpc-address=host:port to another port, 'off' to not listen, or otlp.enabled=false");
    assertThatThrownBy(
            () -> start(Map.of("otlp.grpc-address", "off", "otlp.http-address", "192.0.2.1:0")))
        .hasMessageStartingWith("OTLP/HTTP receiver cannot listen on 192.0.2.1:0: ")
        .hasMessageContaining("Cannot assign requested address");
  }
}
