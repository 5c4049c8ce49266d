package dev.aiprof.agent.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.profile.GroundTruth;
import dev.aiprof.agent.profile.Repo;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Await;
import dev.aiprof.testing.backends.PromQl;
import dev.aiprof.testing.backends.SkyWalking;
import dev.aiprof.testing.backends.Zipkin;
import dev.aiprof.testing.backends.ZipkinSpan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aiprof run} → OTLP/gRPC → SkyWalking OAP 10.1: spans read back through its Zipkin API,
 * metrics (through the MAL rule otel-rules/aiprof.yaml) through its PromQL API.
 */
@Requires(
    root = true,
    tools = {"taskset", "mvn"},
    files = "/sys/kernel/btf/vmlinux")
class SkyWalkingIT {
  private static final Pattern LABEL = Pattern.compile("(\\w+)='([^']*)'");

  @TempDir Path dir;

  @Test
  void spansAndMetricsOverOtlpGrpcComeBackThroughZipkinAndPromQl() throws Exception {
    try (SkyWalking sw = SkyWalking.start()) {
      System.out.printf(
          "SkyWalking OAP %s ready in %d ms, RSS %d MB%n",
          SkyWalking.VERSION, sw.startup().toMillis(), sw.rssBytes() >> 20);
      // Spans leave the agent within 200 ms (the SDK's default batch delay is 5 s) and metrics
      // every 500 ms: the test waits on the backend, not on the exporters' default timers.
      Map<String, String> env =
          Map.of(
              "OTEL_EXPORTER_OTLP_ENDPOINT", sw.otlpEndpoint(),
              "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
              "OTEL_METRIC_EXPORT_INTERVAL", "500",
              "OTEL_BSP_SCHEDULE_DELAY", "200");
      Path lib = Repo.markerLibrary();
      try (AgentProcess agent = AgentProcess.start(dir, lib, env)) {
        agent.awaitRunning();
        assertThat(agent.stderr())
            .contains("exporting traces: OTLP (grpc) to " + sw.otlpEndpoint())
            .contains("exporting metrics: OTLP (grpc) to " + sw.otlpEndpoint());
        try (TracedWorkload w = TracedWorkload.start(lib, agent.tracesEndpoint())) {
          w.go();
          Arrivals arrivals = new Arrivals();
          AtomicReference<List<ExportedSpan>> seen = new AtomicReference<>(List.of());
          List<ExportedSpan> spans =
              Await.until(
                  "the workload's and the agent's spans in SkyWalking",
                  Duration.ofSeconds(90),
                  Duration.ofMillis(200),
                  () -> {
                    List<ExportedSpan> now = spansOf(sw.zipkin(), w.pid());
                    seen.set(now);
                    arrivals.saw(now);
                    return w.isDone() && now.size() >= 2 * TracedWorkload.SPANS ? now : null;
                  },
                  () -> w.progress(seen.get()) + "\n" + agent.stderr() + "\n" + sw.logTail());
          long done = w.awaitDone(Duration.ofSeconds(5));
          try {
            TraceChecks.forwarded(w, spans, 1_000);
            TraceChecks.created(w, spans);
          } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthe agent:\n" + agent.stderr(), e);
          }
          System.out.println("SkyWalking: span end -> in Zipkin API: " + arrivals.latency(spans));
          metrics(sw.promql(), w, done, agent, sw);
        }
        assertThat(agent.stop()).as(agent.stderr()).isZero();
      }
    }
  }

  /** The spans (of any service) of the workload's process. */
  private static List<ExportedSpan> spansOf(Zipkin zipkin, long pid) throws Exception {
    Map<String, ExportedSpan> byId = new LinkedHashMap<>();
    for (String service : zipkin.services()) {
      for (ZipkinSpan z : zipkin.find(service, "process.pid=" + pid, Duration.ofMinutes(10), 200)) {
        byId.putIfAbsent(z.id(), ExportedSpan.of(z));
      }
    }
    return new ArrayList<>(byId.values());
  }

  private static void metrics(
      PromQl promql, TracedWorkload w, long done, AgentProcess agent, SkyWalking sw)
      throws Exception {
    String pod = "service='aiprof', layer='GENERAL', pod='" + w.podUid() + "'";
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (String origin : List.of("otlp", "marker")) {
      expected.put("phase='warmup', origin='" + origin + "'", 1);
      expected.put("phase='round', origin='" + origin + "'", TracedWorkload.ROUNDS);
      for (String phase : TracedWorkload.PHASES) {
        expected.put("phase='" + phase + "', origin='" + origin + "'", TracedWorkload.ROUNDS);
      }
    }
    Await.until(
        "every phase counted in SkyWalking (meter_aiprof_phase_count)",
        Duration.ofSeconds(60),
        Duration.ofMillis(500),
        () -> {
          for (var e : expected.entrySet()) {
            if (value(promql, "meter_aiprof_phase_count{" + pod + ", " + e.getKey() + "}")
                != e.getValue()) {
              return null;
            }
          }
          return Boolean.TRUE;
        },
        () -> agent.stderr() + "\n" + sw.logTail());
    System.out.println(
        "SkyWalking: last phase end -> all phase counts in PromQL API: "
            + (TracedWorkload.epochNanos() - done) / 1_000_000
            + " ms");
    List<GroundTruth> compute = of(w, "compute");
    double wallMs = compute.stream().mapToLong(GroundTruth::wallNs).sum() / 1e6;
    double runDelayMs = compute.stream().mapToLong(GroundTruth::runDelayNs).sum() / 1e6;
    double onCpuMs =
        w.phases().stream()
                .filter(p -> !p.name().equals("round"))
                .mapToLong(GroundTruth::onCpuNs)
                .sum()
            / 1e6;
    assertThat(
            value(
                promql,
                "meter_aiprof_phase_duration_ms{" + pod + ", phase='compute', origin='otlp'}"))
        .as("compute phases' wall time vs the workload's clock")
        .isCloseTo(wallMs, org.assertj.core.data.Offset.offset(5.0 + 0.05 * wallMs));
    assertThat(
            value(
                promql,
                "meter_aiprof_phase_time_ms{"
                    + pod
                    + ", phase='compute', origin='marker', category='runqueue'}"))
        .as("runqueue wait in compute phases vs the kernel's run_delay %.1f ms", runDelayMs)
        .isGreaterThanOrEqualTo(0.5 * runDelayMs)
        .isPositive();
    String cgroup = "service='aiprof', layer='GENERAL', cgroup='" + w.cgroupPath() + "'";
    assertThat(value(promql, "meter_aiprof_sched_cpu_time_ms{" + cgroup + "}"))
        .as("the pod's CPU time covers the worker's on-CPU time in its phases (%.1f ms)", onCpuMs)
        .isGreaterThanOrEqualTo(0.9 * onCpuMs);
    assertThat(value(promql, "meter_aiprof_sched_runqueue_waits{" + cgroup + "}")).isPositive();
    assertThat(value(promql, "meter_aiprof_sched_runqueue_wait_ms{" + cgroup + "}"))
        .isGreaterThanOrEqualTo(0.5 * runDelayMs);
    assertThat(
            value(
                promql,
                "meter_aiprof_sched_runqueue_latency_percentile{service='aiprof', layer='GENERAL', p='99'}"))
        .as("p99 runqueue latency on the host, ms")
        .isPositive();
  }

  /**
   * The one series {@code expr} selects (-1 when none). SkyWalking 10.1 answers a selector that
   * matches no stored label set with other series of the metric, so the labels are checked here.
   */
  private static double value(PromQl promql, String expr) throws Exception {
    Map<String, String> want = new LinkedHashMap<>();
    Matcher m = LABEL.matcher(expr);
    while (m.find()) {
      want.put(m.group(1), m.group(2));
    }
    List<PromQl.Sample> s =
        promql.query(expr).stream()
            .filter(
                x ->
                    want.entrySet().stream()
                        .allMatch(e -> wanted(x.label(e.getKey()), e.getValue())))
            .toList();
    assertThat(s).as(expr).hasSizeLessThanOrEqualTo(1);
    return s.isEmpty() ? -1 : s.getFirst().value();
  }

  /** A label the series has must have the value asked for. */
  private static boolean wanted(String has, String want) {
    return has == null || has.equals(want);
  }

  private static List<GroundTruth> of(TracedWorkload w, String name) {
    return w.phases().stream().filter(p -> p.name().equals(name)).toList();
  }
}
