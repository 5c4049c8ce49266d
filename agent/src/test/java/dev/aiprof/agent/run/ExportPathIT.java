package dev.aiprof.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.compose.AgentHost;
import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.correlation.PhaseMetrics;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.SpanIds;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.exporters.metrics.HistogramLayout;
import dev.aiprof.exporters.metrics.MetricsBridge;
import dev.aiprof.exporters.traces.SpanQueue;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import dev.aiprof.testing.Contention;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.WorkloadProcess;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole path in process, with the SDK's in-memory exporter and reader: the agent's pipeline
 * with the real scheduler probe and collector → correlation engine → phase spans and phase metrics
 * → the metrics bridge. The test is the phase source: it reports a phase of a real thread that
 * competes for its CPU.
 */
@Requires(root = true, tools = "taskset", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class ExportPathIT {
  static final AttributeKey<Double> RUNQUEUE = AttributeKey.doubleKey("aiprof.sched.runqueue_ms");
  static final AttributeKey<Double> ON_CPU = AttributeKey.doubleKey("aiprof.sched.on_cpu_ms");
  static final AttributeKey<Double> COVERAGE = AttributeKey.doubleKey("aiprof.sched.coverage");

  @Test
  void aPhaseOfAContendedThreadBecomesASpanAndPhaseMetrics() throws Exception {
    String cpu = Integer.toString(Runtime.getRuntime().availableProcessors() - 1);
    HostPaths paths = HostPaths.defaults();
    CollectorCatalog catalog = CollectorCatalog.discover();
    Settings settings =
        AgentSettings.catalog(catalog)
            .validate(Map.of("sched.min-event", "100us", "sched.min-stall", "1ms"));
    InMemorySpanExporter spansOut = InMemorySpanExporter.create();
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (WorkloadProcess busy = WorkloadProcess.start(cpu, Contention.class, "busy", "1");
        WorkloadProcess victims =
            WorkloadProcess.start(cpu, Contention.class, "victim", "1", "2000", "3000");
        AgentHost host = AgentHost.open(paths, Path.of("/sys/kernel/btf/vmlinux"), settings);
        SpanQueue queue = new SpanQueue(spansOut, SpanQueue.Settings.defaults())) {
      Pipeline.Builder b = host.pipeline(catalog, settings).only(Set.of("sched"));
      ClockSync clock = b.clock();
      PhaseSpans spans =
          new PhaseSpans(queue::offer, clock, InstrumentationScopeInfo.create("dev.aiprof"));
      MetricsBridge bridge =
          new MetricsBridge(
              (v2, v1) -> io.opentelemetry.api.common.Attributes.empty(),
              HistogramLayout.DEFAULT,
              InstrumentationScopeInfo.create("dev.aiprof"),
              () -> clock.toEpochNanos(System.nanoTime()));
      try (SdkMeterProvider provider =
              SdkMeterProvider.builder()
                  .registerMetricReader(reader)
                  .registerMetricProducer(bridge)
                  .build();
          Pipeline session =
              b.workloads(new ProcessWorkloads(paths))
                  .sink(PhaseMetrics.create(provider.get("dev.aiprof"), Settings.defaults()))
                  .sink(spans)
                  .start()) {
        bridge.addSource(session.metrics());
        assertThat(session.statuses())
            .filteredOn(st -> st.name().equals("sched"))
            .allMatch(CollectorStatus::running);
        int pid = (int) victims.pid();
        assertThat(session.follows().follow(pid)).isEqualTo(FollowOutcome.FOLLOWED);
        int tid = victims.threads("victim-").keySet().iterator().next();
        busy.send("go");
        victims.send("go");
        long start = System.nanoTime();
        Thread.sleep(1500);
        long end = System.nanoTime();
        SpanIds ids = SpanIds.root();
        session
            .engine()
            .onPhase(
                new Phase("step", PhaseOrigin.MARKER, pid, tid, start, end, 0, null, null, ids));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (spansOut.getFinishedSpanItems().isEmpty() && System.nanoTime() < deadline) {
          queue.flush(Duration.ofSeconds(1));
          Thread.sleep(20);
        }
        SpanData s = spansOut.getFinishedSpanItems().getFirst();
        assertThat(s.getName()).isEqualTo("step");
        assertThat(s.getSpanId()).isEqualTo(ids.spanId());
        assertThat(s.getTraceId()).isEqualTo(ids.traceId());
        assertThat(s.getResource().getAttribute(ProcessWorkloads.PID)).isEqualTo((long) pid);
        assertThat(s.getResource().getAttribute(ProcessWorkloads.EXECUTABLE)).isEqualTo("java");
        assertThat(s.getAttributes().get(COVERAGE)).isGreaterThan(0.9);
        assertThat(s.getAttributes().get(ON_CPU)).isGreaterThan(10.0);
        assertThat(s.getAttributes().get(RUNQUEUE))
            .as("it shares a CPU with a busy thread")
            .isGreaterThan(10.0);
        List<EventData> stalls = s.getEvents();
        assertThat(stalls).isNotEmpty();
        for (EventData e : stalls) {
          assertThat(e.getEpochNanos())
              .isBetween(s.getStartEpochNanos() - 1_000_000, s.getEndEpochNanos());
        }
        Collection<MetricData> metrics = reader.collectAllMetrics();
        MetricData duration =
            metrics.stream()
                .filter(m -> m.getName().equals("aiprof.phase.duration"))
                .findFirst()
                .orElseThrow();
        HistogramPointData d = duration.getHistogramData().getPoints().iterator().next();
        assertThat(d.getCount()).isEqualTo(1);
        assertThat(d.getSum())
            .isCloseTo((end - start) / 1e9, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(d.getAttributes().get(PhaseMetrics.PHASE)).isEqualTo("step");
        assertThat(metrics)
            .extracting(MetricData::getName)
            .contains(
                "aiprof.phase.time", "aiprof.sched.runqueue.latency", "aiprof.collector.success");
      }
    }
  }
}
