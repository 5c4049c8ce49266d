package dev.aiprof.collectors.otlp;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.bpf.Features;
import dev.aiprof.collectors.CollectorContext;
import dev.aiprof.collectors.RecordingSink;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** An {@link OtlpCollector} started on loopback with free ports, for integration tests. */
final class RunningReceiver implements AutoCloseable {
  final OtlpCollector collector = new OtlpCollector();
  final PhaseRecorder recorder;
  final ClockSync clock = new ClockSync();

  /** Starts with {@code settings} over free loopback ports for both transports. */
  RunningReceiver(PhaseRecorder recorder, Map<String, String> settings) throws IOException {
    this.recorder = recorder;
    Map<String, String> all = new HashMap<>();
    all.put(OtlpSettings.GRPC_ADDRESS, "127.0.0.1:0");
    all.put(OtlpSettings.HTTP_ADDRESS, "127.0.0.1:0");
    all.putAll(settings);
    collector.start(context(all, recorder, clock));
  }

  static CollectorContext context(
      Map<String, String> settings, PhaseRecorder recorder, ClockSync clock) {
    return new CollectorContext(
        new Features(Map.of()),
        HostPaths.defaults(),
        settings,
        Duration.ofSeconds(1),
        recorder,
        clock);
  }

  int grpcPort() {
    return collector.grpcAddress().orElseThrow().getPort();
  }

  int httpPort() {
    return collector.httpAddress().orElseThrow().getPort();
  }

  String tracesUrl() {
    return "http://127.0.0.1:" + httpPort() + "/v1/traces";
  }

  RecordingSink metrics() {
    RecordingSink sink = new RecordingSink();
    collector.collect(sink);
    return sink;
  }

  @Override
  public void close() {
    recorder.release();
    collector.close();
  }
}
