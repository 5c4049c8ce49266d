package dev.aiprof.collectors.otlp;

import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.collectors.FollowRecorder;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.pipeline.FollowService;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The OTLP receiver running in the agent's pipeline on loopback with free ports, for integration
 * tests: {@link #recorder} taps the phases as the receiver delivers them, and a {@link
 * FollowRecorder} runs beside it so that the follow service answers the engine's requests for the
 * spans' processes as it would with the scheduler collector.
 */
final class RunningReceiver implements AutoCloseable {
  final TestPipeline pipeline;
  final OtlpCollector collector;
  final FollowRecorder follower;
  final PhaseRecorder recorder;

  /** Starts with {@code settings} over free loopback ports for both transports. */
  RunningReceiver(PhaseRecorder recorder, Map<String, String> settings) {
    this.recorder = recorder;
    Map<String, String> all = new HashMap<>();
    all.put(OtlpSettings.GRPC_ADDRESS.key(), "127.0.0.1:0");
    all.put(OtlpSettings.HTTP_ADDRESS.key(), "127.0.0.1:0");
    all.putAll(settings);
    this.pipeline =
        TestPipeline.start(Set.of(OtlpProvider.NAME, FollowRecorder.NAME), all, recorder);
    try {
      this.collector = pipeline.collector(OtlpProvider.NAME, OtlpCollector.class);
      this.follower = pipeline.collector(FollowRecorder.NAME, FollowRecorder.class);
    } catch (RuntimeException | Error e) {
      pipeline.close();
      throw e;
    }
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

  /** Everything the pipeline reports now: the receiver's metrics, the follow service's... */
  RecordingSink metrics() {
    RecordingSink sink = new RecordingSink();
    pipeline.pipeline().metrics().collect(sink);
    return sink;
  }

  /** Requests the follow service answered with {@code outcome} so far. */
  long followRequests(FollowOutcome outcome) {
    return (long)
        new RecordingSinkValues(metrics())
            .get(FollowService.REQUESTS, Attributes.of(FollowService.OUTCOME, outcome.label()));
  }

  @Override
  public void close() {
    recorder.release();
    pipeline.close();
  }
}
