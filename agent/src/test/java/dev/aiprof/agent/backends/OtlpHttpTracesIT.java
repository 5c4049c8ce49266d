package dev.aiprof.agent.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.profile.Repo;
import dev.aiprof.agent.run.OtlpReceiver;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Await;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aiprof run} → OTLP/HTTP protobuf traces → an in-test receiver (no OTLP/HTTP trace backend
 * runs here): the same checks as against SkyWalking, to the nanosecond, plus what only the wire
 * format shows: resource and span attributes apart, their types, and each span's scope.
 */
@Requires(root = true, tools = "taskset", files = "/sys/kernel/btf/vmlinux")
class OtlpHttpTracesIT {
  @TempDir Path dir;

  @Test
  void spansOverOtlpHttpKeepIdsParentsResourceAndFindings() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Map<String, String> env =
          Map.of(
              "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
              receiver.endpoint() + "/v1/traces",
              "OTEL_METRICS_EXPORTER",
              "none");
      Path lib = Repo.markerLibrary();
      try (AgentProcess agent = AgentProcess.start(dir, lib, env)) {
        agent.awaitRunning();
        assertThat(agent.stderr())
            .contains("exporting traces: OTLP (http/protobuf) to the default endpoint");
        try (TracedWorkload w = TracedWorkload.start(lib, agent.tracesEndpoint())) {
          w.go();
          Arrivals arrivals = new Arrivals();
          AtomicReference<List<ExportedSpan>> seen = new AtomicReference<>(List.of());
          List<ExportedSpan> spans =
              Await.until(
                  "the workload's and the agent's spans at the receiver",
                  Duration.ofSeconds(60),
                  Duration.ofMillis(50),
                  () -> {
                    List<ExportedSpan> now = spansOf(receiver, w.pid());
                    seen.set(now);
                    arrivals.saw(now);
                    return w.isDone() && now.size() >= 2 * TracedWorkload.SPANS ? now : null;
                  },
                  () -> w.progress(seen.get()) + "\n" + agent.stderr());
          try {
            TraceChecks.forwarded(w, spans, 0);
            TraceChecks.created(w, spans);
          } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthe agent:\n" + agent.stderr(), e);
          }
          wireFormat(receiver, w);
          System.out.println(
              "OTLP/HTTP receiver: span end -> received: " + arrivals.latency(spans));
        }
        assertThat(agent.stop()).as(agent.stderr()).isZero();
      }
    }
  }

  /** Resource attributes stay on the resource, typed; scopes are the workload's and the agent's. */
  private static void wireFormat(OtlpReceiver receiver, TracedWorkload w) {
    int own = 0;
    int made = 0;
    for (ExportTraceServiceRequest r : receiver.traces) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        List<KeyValue> res = rs.getResource().getAttributesList();
        AnyValue pid = value(res, "process.pid");
        if (pid == null || pid.getIntValue() != w.pid()) {
          continue;
        }
        assertThat(value(res, "k8s.pod.uid").getStringValue()).isEqualTo(w.podUid());
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            assertThat(value(s.getAttributesList(), "aiprof.sched.runqueue_ms").hasDoubleValue())
                .isTrue();
            assertThat(value(s.getAttributesList(), "thread.id").hasIntValue()).isTrue();
            if (value(res, "service.name").getStringValue().equals("phased-workload")) {
              assertThat(ss.getScope().getName()).isEqualTo("dev.aiprof.testing");
              assertThat(value(s.getAttributesList(), "process.pid"))
                  .as("the agent adds its identity to the resource only (%s)", s.getName())
                  .isNull();
              own++;
            } else {
              assertThat(ss.getScope().getName()).isEqualTo("dev.aiprof");
              made++;
            }
          }
        }
      }
    }
    assertThat(own).as("the workload's spans").isEqualTo(TracedWorkload.SPANS);
    assertThat(made).as("the agent's spans of marker phases").isEqualTo(TracedWorkload.SPANS);
  }

  private static List<ExportedSpan> spansOf(OtlpReceiver receiver, long pid) {
    List<ExportedSpan> out = new ArrayList<>();
    for (ExportTraceServiceRequest r : receiver.traces) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        AnyValue p = value(rs.getResource().getAttributesList(), "process.pid");
        if (p == null || p.getIntValue() != pid) {
          continue;
        }
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            out.add(ExportedSpan.of(s, rs.getResource().getAttributesList()));
          }
        }
      }
    }
    return out;
  }

  private static AnyValue value(List<KeyValue> kvs, String key) {
    return kvs.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue)
        .findFirst()
        .orElse(null);
  }
}
