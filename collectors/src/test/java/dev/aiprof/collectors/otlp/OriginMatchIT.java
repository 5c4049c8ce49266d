package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.kv;
import static dev.aiprof.collectors.otlp.TestSpans.request;
import static dev.aiprof.collectors.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.api.sandbox.SandboxDirectory;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both receivers hand each request's connection to the origin match: a recorded gVisor Sentry (pid
 * 10868) whose descriptors and socket tables are this JVM's own ({@code /proc/self}), so the test's
 * own client connections are "held by the Sentry". What is real: the receivers, the connections,
 * the kernel's socket tables and descriptors; what is recorded: the Sentry's stat, cmdline and
 * cgroup. Needs no root.
 */
class OriginMatchIT {
  private static final long T0 = 1_700_000_000_000_000_000L;

  @TempDir Path dir;

  private HostPaths sentryHoldingOurSockets() throws Exception {
    Path p = dir.resolve("proc/10868");
    Files.createDirectories(p);
    String id = "27e24118d1d89aac1b41f79eb1fd4b2b33284c39f70db2338992172835635127";
    Files.writeString(
        p.resolve("stat"),
        "10868 (exe) S 10859 10868 10868 0 -1 4194560 0 0 0 0 5 7 0 0 20 0 19 0 464688 0\n");
    Files.writeString(
        p.resolve("cmdline"), "runsc-sandbox\0--root=/var/run/runsc\0boot\0" + id + "\0");
    Files.writeString(p.resolve("cgroup"), "4:memory:/libpod_parent/libpod-" + id + "\n0::/\n");
    for (String link : List.of("fd", "net", "ns")) {
      Files.createSymbolicLink(p.resolve(link), Path.of("/proc/self/" + link));
    }
    return new HostPaths(dir.resolve("proc"), dir.resolve("sys"), dir.resolve("cgroup"));
  }

  @Test
  void grpcAndHttpSpansAreMatchedByTheirConnection() throws Exception {
    PhaseRecorder recorder = new PhaseRecorder();
    OtlpCounters counters = new OtlpCounters();
    PhaseQueue queue = new PhaseQueue(1024, recorder, counters);
    queue.start();
    TraceIntake intake =
        new TraceIntake(
            new ClockSync(),
            queue,
            counters,
            SpanLimits.DEFAULT,
            new SandboxDirectory(sentryHoldingOurSockets(), System::nanoTime));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ListenAddress any = ListenAddress.parse("test", "127.0.0.1:0");
    try (GrpcReceiver grpc = GrpcReceiver.start(any, 1 << 20, intake, counters, pool);
        HttpReceiver http =
            HttpReceiver.start(any, new HttpTracesHandler(intake, counters, 1 << 20))) {
      ExportTraceServiceRequest req =
          request(List.of(kv("process.pid", 1)), span("generate", T0, kv("thread.id", 3)).build());
      ManagedChannel c =
          NettyChannelBuilder.forAddress("127.0.0.1", grpc.address().getPort())
              .usePlaintext()
              .build();
      try {
        TraceServiceGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS).export(req);
      } finally {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      try (HttpClient client = HttpClient.newHttpClient()) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + http.address().getPort() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(req.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      List<Phase> phases = recorder.await(2);
      assertThat(phases).hasSize(2);
      for (Phase p : phases) {
        assertThat(p.pid()).as("the Sentry's, not process.pid 1").isEqualTo(10868);
        assertThat(p.tid()).isZero();
        assertThat(p.attributes().get(SpanPhases.MATCHED_BY)).isEqualTo("connection");
        assertThat(p.attributes().get(Sandbox.SANDBOX)).isEqualTo("gvisor");
      }
      assertThat(counters.matched(SpanBatch.MatchedBy.CONNECTION)).isEqualTo(2);
      assertThat(counters.matched(SpanBatch.MatchedBy.PID)).isZero();
    } finally {
      pool.shutdownNow();
      queue.close();
    }
  }
}
