package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.api.sandbox.SandboxDirectory;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.RunscContainer;
import io.opentelemetry.api.common.Attributes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans of a real gVisor container are matched to it by their resource attributes or by the
 * connection they came on, not by their {@code process.pid} (1: the workload's pid inside the
 * sandbox, which on the host is init).
 *
 * <p>By connection: a container on the host's network ({@code runsc --network=host}) posts a span
 * with no {@code container.id} from inside, with busybox {@code nc}, to the receiver running in the
 * agent's pipeline; the Sentry holds the guest's socket, so the span is the sandbox's.
 *
 * <p>By resource attributes: the container runs with no network ({@code runsc --network=none}:
 * podman's runsc cannot share the root network namespace), so nothing inside can reach the
 * receiver; the OTLP/JSON body is the one an SDK inside would send (resource {@code container.id},
 * {@code process.pid} 1), posted through the receiver's own decoding on the host. What is real: the
 * sandbox, its host processes and cgroup, found by a scan of {@code /proc}.
 */
@Requires(
    root = true,
    tools = {"podman", "runsc", "busybox"})
class SandboxSpansIT {
  @TempDir Path dir;

  /** A span as an SDK inside the sandbox sends it: {@code process.pid} 1, no container.id. */
  static String anonymousBody() {
    long now = System.currentTimeMillis() * 1_000_000L;
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
        + "{\"key\":\"process.pid\",\"value\":{\"intValue\":\"1\"}},"
        + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"sandboxed\"}}"
        + "]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
        + "\"spanId\":\"eee19b7ec3c1b175\",\"name\":\"generate\",\"kind\":2,"
        + "\"startTimeUnixNano\":\""
        + (now - 50_000_000L)
        + "\",\"endTimeUnixNano\":\""
        + now
        + "\",\"attributes\":[{\"key\":\"thread.id\",\"value\":{\"intValue\":\"3\"}}]}]}]}]}";
  }

  @Test
  void aSpanSentFromInsideWithoutAContainerIdIsMatchedByItsConnection() throws Exception {
    PhaseRecorder recorder = new PhaseRecorder();
    try (RunningReceiver receiver = new RunningReceiver(recorder, Map.of())) {
      String body = anonymousBody();
      String request =
          "POST /v1/traces HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/json"
              + "\\r\\nContent-Length: "
              + body.getBytes(StandardCharsets.UTF_8).length
              + "\\r\\nConnection: close\\r\\n\\r\\n";
      String script =
          "printf '"
              + request
              + "%s' '"
              + body
              + "' | nc 127.0.0.1 "
              + receiver.httpPort()
              + " > /tmp/reply; while :; do sleep 1; done";
      try (RunscContainer c = RunscContainer.start(dir, script, RunscContainer.Network.HOST)) {
        Phase p = recorder.await(1).getFirst();
        System.out.println(
            "span sent from inside gVisor container "
                + c.name()
                + " (host network, no container.id): pid "
                + p.pid()
                + ", tid "
                + p.tid()
                + ", "
                + p.attributes());
        assertThat(p.name()).isEqualTo("generate");
        assertThat(p.pid())
            .as("the Sentry's host pid, not the span's process.pid 1")
            .isEqualTo(c.pid());
        assertThat(p.tid()).isZero();
        assertThat(p.attributes().get(SpanPhases.MATCHED_BY)).isEqualTo("connection");
        assertThat(p.attributes().get(Sandbox.SANDBOX)).isEqualTo("gvisor");
        assertThat(p.attributes().get(Sandbox.SCHED_OBSERVABLE)).isFalse();
        RecordingSinkValues m = new RecordingSinkValues(receiver.metrics());
        assertThat(
                m.get(
                    OtlpMetrics.SPANS_MATCHED,
                    Attributes.of(OtlpMetrics.MATCHED_BY, SandboxDirectory.BY_CONNECTION)))
            .isEqualTo(1.0);
        assertThat(
                m.get(
                    OtlpMetrics.SPANS_MATCHED,
                    Attributes.of(OtlpMetrics.MATCHED_BY, "process.pid")))
            .isZero();

        // What a lookup costs here, with this one sandbox running (printed, not asserted):
        // cold (a /proc scan, then its tables and descriptors) and a later miss (no rescan).
        SandboxDirectory d = new SandboxDirectory(HostPaths.defaults(), System::nanoTime);
        InetSocketAddress here = new InetSocketAddress("127.0.0.1", receiver.httpPort());
        long t0 = System.nanoTime();
        assertThat(d.byConnection(new InetSocketAddress("127.0.0.1", 1), here)).isEmpty();
        long cold = System.nanoTime() - t0;
        long[] miss = new long[50];
        for (int i = 0; i < miss.length; i++) {
          long t = System.nanoTime();
          assertThat(d.byConnection(new InetSocketAddress("127.0.0.1", 2 + i), here)).isEmpty();
          miss[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(miss);
        System.out.printf(
            "origin lookup: cold %.2f ms (scan + tables + fds); %d misses: min %.3f ms,"
                + " median %.3f ms%n",
            cold / 1e6, miss.length, miss[0] / 1e6, miss[miss.length / 2] / 1e6);
      }
    }
  }

  static byte[] body(String containerId, String podUid) {
    long now = System.currentTimeMillis() * 1_000_000L;
    String pod =
        podUid == null
            ? ""
            : ",{\"key\":\"k8s.pod.uid\",\"value\":{\"stringValue\":\"" + podUid + "\"}}";
    return ("{\"resourceSpans\":[{\"resource\":{\"attributes\":["
            + "{\"key\":\"container.id\",\"value\":{\"stringValue\":\""
            + containerId
            + "\"}},{\"key\":\"process.pid\",\"value\":{\"intValue\":\"1\"}}"
            + pod
            + "]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
            + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"generate\",\"kind\":2,"
            + "\"startTimeUnixNano\":\""
            + (now - 50_000_000L)
            + "\",\"endTimeUnixNano\":\""
            + now
            + "\",\"attributes\":[{\"key\":\"thread.id\",\"value\":{\"intValue\":\"3\"}}]}]}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSpanFromInsideTheSandboxIsTheSandboxsNeverPidOnes() throws Exception {
    try (RunscContainer c = RunscContainer.start(dir, "while :; do sleep 1; done")) {
      SandboxDirectory sandboxes = new SandboxDirectory(HostPaths.defaults(), System::nanoTime);
      SpanBatch batch =
          SpanBatch.of(
              OtlpJson.parse(body(c.id(), null)),
              new ClockSync(),
              new SpanTrimmer(SpanLimits.DEFAULT, new LimitCounts()),
              sandboxes);
      Phase p = batch.phases().getFirst();
      System.out.println(
          "span from gVisor container "
              + c.name()
              + ": pid "
              + p.pid()
              + ", tid "
              + p.tid()
              + ", "
              + p.attributes());
      assertThat(p.pid())
          .as("the Sentry's host pid, not the span's process.pid 1")
          .isEqualTo(c.pid());
      assertThat(p.tid()).as("phase-wide: no thread of the sandbox is the span's").isZero();
      assertThat(p.attributes().get(Sandbox.SANDBOX)).isEqualTo("gvisor");
      assertThat(p.attributes().get(SpanPhases.MATCHED_BY)).isEqualTo("container.id");
      assertThat(p.attributes().get(Sandbox.SCHED_OBSERVABLE)).isFalse();

      // Another container's span (an unknown id) keeps its own pid, as before.
      SpanBatch other =
          SpanBatch.of(
              OtlpJson.parse(body("ab".repeat(32), null)),
              new ClockSync(),
              new SpanTrimmer(SpanLimits.DEFAULT, new LimitCounts()),
              sandboxes);
      assertThat(other.phases().getFirst().pid()).isEqualTo(1);
      assertThat(other.phases().getFirst().attributes().get(Sandbox.SANDBOX)).isNull();
    }
  }
}
