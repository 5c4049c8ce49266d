package dev.aiprof.agent.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.profile.GroundTruth;
import dev.aiprof.agent.profile.Repo;
import dev.aiprof.exporters.ExporterProperties;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Await;
import dev.aiprof.testing.backends.PromQl;
import dev.aiprof.testing.backends.VictoriaMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aiprof run} → OTLP/HTTP protobuf metrics → VictoriaMetrics, read back with PromQL: the
 * phase metrics of a workload that marked its phases both ways, and the scheduler metrics of its
 * pod's cgroup, checked against the workload's own kernel accounting.
 */
@Requires(
    root = true,
    tools = {"taskset", "apt-get", "dpkg-deb"},
    files = "/sys/kernel/btf/vmlinux")
class VictoriaMetricsIT {
  @TempDir Path dir;

  @Test
  void phaseAndSchedulerMetricsOverOtlpHttpComeBackThroughPromQl() throws Exception {
    try (VictoriaMetrics vm = VictoriaMetrics.start()) {
      System.out.printf("VictoriaMetrics ready in %d ms%n", vm.startup().toMillis());
      Map<String, String> env =
          Map.of(
              "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", vm.otlpMetricsEndpoint(),
              "OTEL_TRACES_EXPORTER", "none",
              "OTEL_METRIC_EXPORT_INTERVAL", "500");
      Path lib = Repo.markerLibrary();
      try (AgentProcess agent = AgentProcess.start(dir, lib, env)) {
        agent.awaitRunning();
        assertThat(agent.stderr())
            .contains("exporting metrics: OTLP (http/protobuf) to the default endpoint");
        try (TracedWorkload w = TracedWorkload.start(lib, agent.tracesEndpoint())) {
          w.go();
          long done = w.awaitDone(Duration.ofSeconds(60));
          PromQl q = vm.promql();
          String pod = "k8s_pod_uid=\"" + w.podUid() + "\"";
          Map<String, Integer> counts = new LinkedHashMap<>();
          for (String origin : List.of("otlp", "marker")) {
            counts.put(count(pod, "warmup", origin), 1);
            for (String phase : List.of("round", "load", "compute", "wait", "io")) {
              counts.put(count(pod, phase, origin), TracedWorkload.ROUNDS);
            }
          }
          Await.until(
              "every phase counted in VictoriaMetrics",
              Duration.ofSeconds(60),
              Duration.ofMillis(250),
              () -> {
                for (var c : counts.entrySet()) {
                  if (value(q, c.getKey()) != c.getValue()) {
                    return null;
                  }
                }
                return Boolean.TRUE;
              },
              () -> agent.stderr() + "\n" + vm.logTail());
          System.out.println(
              "VictoriaMetrics: last phase end -> all phase counts queryable: "
                  + (TracedWorkload.epochNanos() - done) / 1_000_000
                  + " ms");
          check(q, w, pod);
        }
        assertThat(agent.stop()).as(agent.stderr()).isZero();
      }
    }
  }

  private static void check(PromQl q, TracedWorkload w, String pod) throws Exception {
    List<GroundTruth> compute =
        w.phases().stream().filter(p -> p.name().equals("compute")).toList();
    double wall = compute.stream().mapToLong(GroundTruth::wallNs).sum() / 1e9;
    double runDelay = compute.stream().mapToLong(GroundTruth::runDelayNs).sum() / 1e9;
    double onCpu =
        w.phases().stream()
                .filter(p -> !p.name().equals("round"))
                .mapToLong(GroundTruth::onCpuNs)
                .sum()
            / 1e9;
    String otlpCompute = pod + ", aiprof_phase_name=\"compute\", aiprof_phase_origin=\"otlp\"";
    assertThat(value(q, "aiprof_phase_duration_seconds_sum{" + otlpCompute + "}"))
        .as("compute phases' wall time (s) vs the workload's clock")
        .isCloseTo(wall, Offset.offset(0.005 + 0.05 * wall));
    String runq = otlpCompute + ", aiprof_phase_category=\"runqueue\"";
    assertThat(value(q, "aiprof_phase_time_seconds_total{" + runq + "}"))
        .as("runqueue wait in compute phases (s) vs the kernel's run_delay %.3f s", runDelay)
        .isGreaterThanOrEqualTo(0.5 * runDelay)
        .isLessThanOrEqualTo(wall);
    // The agent sends phase durations over OTLP as base-2 exponential histograms, at most at
    // aiprof.exporter.metrics.histogram-max-scale (3: a bucket is 2^(1/8), 9%, wide).
    // VictoriaMetrics stores each bucket as a series labelled by vmrange, which its
    // histogram_quantile reads. At the SDK's own scale (20) the bounds of a bucket were the same
    // in vmrange's four digits, buckets merged and histogram_quantile answered nothing.
    double width = Math.pow(2, Math.pow(2, -ExporterProperties.DEFAULT_HISTOGRAM_MAX_SCALE));
    List<PromQl.Sample> buckets =
        q.query("aiprof_phase_duration_seconds_bucket{" + otlpCompute + "}");
    List<String> ranges = buckets.stream().map(b -> b.label("vmrange") + "=" + b.value()).toList();
    double fastest = compute.stream().mapToLong(GroundTruth::wallNs).min().orElseThrow() / 1e9;
    double slowest = compute.stream().mapToLong(GroundTruth::wallNs).max().orElseThrow() / 1e9;
    assertThat(buckets)
        .as("phase duration buckets of phases %.4f to %.4f s: %s", fastest, slowest, ranges)
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(
            1 + (int) Math.ceil(Math.log(slowest / fastest) / Math.log(width)))
        .allSatisfy(
            b -> {
              String[] bounds = b.label("vmrange").split("\\.\\.\\.");
              assertThat(Double.parseDouble(bounds[1]) / Double.parseDouble(bounds[0]))
                  .as("bucket %s is one bucket of the scale", b.label("vmrange"))
                  .isCloseTo(width, Offset.offset(0.01));
            });
    assertThat(buckets.stream().mapToDouble(PromQl.Sample::value).sum())
        .as("phases in the buckets: %s", ranges)
        .isEqualTo(TracedWorkload.ROUNDS);
    assertThat(
            value(
                q,
                "histogram_quantile(0.5, aiprof_phase_duration_seconds_bucket{"
                    + otlpCompute
                    + "})"))
        .as(
            "median compute phase (s) vs the workload's fastest %.4f and slowest %.4f; buckets %s",
            fastest, slowest, ranges)
        .isBetween(fastest / width, slowest * width);

    String cgroup = "aiprof_cgroup_path=\"" + w.cgroupPath() + "\"";
    List<PromQl.Sample> cpu = q.query("aiprof_sched_cpu_time_seconds_total{" + cgroup + "}");
    assertThat(cpu)
        .as(
            "CPU time of the pod's cgroup %s among %s",
            w.cgroupPath(),
            q.query("aiprof_sched_cpu_time_seconds_total").stream()
                .map(PromQl.Sample::labels)
                .toList())
        .hasSize(1);
    assertThat(cpu.getFirst().value())
        .as("the pod's CPU time (s) covers the worker's on-CPU time in its phases (%.3f s)", onCpu)
        .isGreaterThanOrEqualTo(0.9 * onCpu);
    assertThat(cpu.getFirst().labels())
        .as("the workload's identity and the agent's resource on the series")
        .containsEntry("k8s_pod_uid", w.podUid())
        .containsEntry("service_name", "aiprof")
        .containsKey("host_name");
    assertThat(value(q, "aiprof_sched_runqueue_latency_seconds_count{" + cgroup + "}"))
        .as("runqueue waits of the pod")
        .isPositive();
    assertThat(value(q, "aiprof_sched_runqueue_latency_seconds_sum{" + cgroup + "}"))
        .as("runqueue wait (s) of the pod vs the kernel's run_delay in compute phases")
        .isGreaterThanOrEqualTo(0.5 * runDelay);
    double p99 =
        value(
            q,
            "histogram_quantile(0.99, aiprof_sched_runqueue_latency_seconds_bucket{"
                + cgroup
                + "})");
    assertThat(p99).as("p99 runqueue latency of the pod (s)").isPositive().isLessThan(1.0);
  }

  /** The phase count series of one phase name and origin. */
  private static String count(String pod, String phase, String origin) {
    return "aiprof_phase_duration_seconds_count{"
        + pod
        + ", aiprof_phase_name=\""
        + phase
        + "\", aiprof_phase_origin=\""
        + origin
        + "\"}";
  }

  /** The one series {@code expr} selects (-1 when none). */
  private static double value(PromQl q, String expr) throws Exception {
    List<PromQl.Sample> s = q.query(expr);
    assertThat(s).as(expr).hasSizeLessThanOrEqualTo(1);
    return s.isEmpty() ? -1 : s.getFirst().value();
  }
}
