package dev.aiprof.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.cli.CliRun;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.Contention;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.SystemProperties;
import dev.aiprof.testing.WorkloadProcess;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code aiprof run} in process, as root, against a real OTLP/HTTP receiver. */
@Requires(root = true, tools = "taskset", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class RunIT {
  @TempDir Path dir;
  @RegisterExtension final SystemProperties properties = new SystemProperties();

  static String attr(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        AnyValue v = kv.getValue();
        return v.hasStringValue()
            ? v.getStringValue()
            : v.hasIntValue() ? Long.toString(v.getIntValue()) : v.toString();
      }
    }
    return null;
  }

  @Test
  void schedulerMetricsOfAWorkloadReachAnOtlpBackend() throws Exception {
    properties.set("otel.metric.export.interval", "1000");
    String cpu = Integer.toString(Runtime.getRuntime().availableProcessors() - 1);
    try (OtlpReceiver receiver = new OtlpReceiver();
        CgroupDir cg = CgroupDir.create("aiprof-run-it-" + ProcessHandle.current().pid());
        WorkloadProcess busy = WorkloadProcess.start(cpu, Contention.class, "busy", "1");
        WorkloadProcess victims =
            WorkloadProcess.start(cpu, Contention.class, "victim", "2", "2000", "500")) {
      cg.add(victims.pid());
      busy.send("go");
      victims.send("go");
      CliRun r =
          CliRun.of(
              "run",
              "--duration",
              "6s",
              "--otlp-endpoint",
              receiver.endpoint(),
              "--no-prometheus",
              "--follow-pid",
              Long.toString(victims.pid()),
              "--output-dir",
              dir.toString());
      assertThat(r.status()).as(r.err()).isZero();
      assertThat(r.err())
          .contains("aiprof run: collectors ")
          .contains(" sched (running)")
          .contains("exporting metrics: OTLP (http/protobuf) to " + receiver.endpoint())
          .contains("stopping (duration elapsed)");
      assertThat(receiver.metrics).as(r.err()).hasSizeGreaterThanOrEqualTo(3);
      var resource = receiver.metrics.getLast().getResourceMetrics(0).getResource();
      assertThat(attr(resource.getAttributesList(), "service.name")).isEqualTo("aiprof");
      assertThat(attr(resource.getAttributesList(), "host.name")).isNotBlank();

      List<Metric> last = lastOfEach(receiver.allMetrics());
      for (Metric m : last) {
        assertThat(m.getDescription()).as(m.getName()).isNotBlank();
        assertThat(m.getUnit()).as(m.getName()).isNotBlank();
      }
      Map<String, String> units = new TreeMap<>();
      last.forEach(m -> units.put(m.getName(), m.getUnit()));
      assertThat(units)
          .containsEntry("aiprof.sched.runqueue.latency", "s")
          .containsEntry("aiprof.sched.blocked.duration", "s")
          .containsEntry("aiprof.sched.cpu.time", "s")
          .containsEntry("aiprof.sched.offcpu.time", "s")
          .containsEntry("aiprof.sched.offcpu.episodes", "{episode}")
          .containsEntry("aiprof.collector.success", "1")
          .containsEntry("aiprof.correlation.phases", "{phase}")
          .containsEntry("aiprof.export.batches", "{batch}");
      System.out.println("metrics exported: " + units);

      String path = "/" + CgroupDir.v2Root().relativize(cg.path());
      Metric runq = find(last, "aiprof.sched.runqueue.latency");
      assertThat(runq.getHistogram().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      HistogramDataPoint p =
          runq.getHistogram().getDataPointsList().stream()
              .filter(d -> path.equals(attr(d.getAttributesList(), "aiprof.cgroup.path")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no series for " + path));
      assertThat(attr(p.getAttributesList(), "aiprof.cgroup.id")).isEqualTo(Long.toString(cg.id()));
      assertThat(p.getExplicitBoundsList()).hasSize(29);
      assertThat(p.getExplicitBounds(0)).isEqualTo(2048e-9);
      assertThat(p.getBucketCountsCount()).isEqualTo(30);
      assertThat(p.getCount()).as("the victims waited behind the busy thread").isPositive();
      assertThat(p.getBucketCountsList().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(p.getCount());
      assertThat(p.getSum()).isPositive();

      Metric cpuTime = find(last, "aiprof.sched.cpu.time");
      assertThat(cpuTime.getSum().getIsMonotonic()).isTrue();
      NumberDataPoint c =
          cpuTime.getSum().getDataPointsList().stream()
              .filter(d -> path.equals(attr(d.getAttributesList(), "aiprof.cgroup.path")))
              .findFirst()
              .orElseThrow();
      assertThat(c.getAsDouble()).as("seconds on CPU").isGreaterThan(0.01).isLessThan(30);
      assertThat(c.getStartTimeUnixNano()).isLessThan(c.getTimeUnixNano());
    }
  }

  static Metric find(List<Metric> metrics, String name) {
    return metrics.stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  /** The last received instance of every metric name. */
  static List<Metric> lastOfEach(List<Metric> all) {
    Map<String, Metric> m = new TreeMap<>();
    all.forEach(x -> m.put(x.getName(), x));
    return List.copyOf(m.values());
  }
}
