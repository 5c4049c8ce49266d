package dev.aiprof.exporters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge through a real SDK meter provider and an in-memory reader. */
class MetricsBridgeTest {
  static final MetricId EPISODES = MetricId.counter("test.episodes", "Episodes seen", "{episode}");
  static final MetricId QUEUE = MetricId.gauge("test.queue.depth", "Queue depth now", "{item}");
  static final MetricId WAIT = MetricId.histogram("test.wait", "How long things waited");
  static final AttributeKey<String> POD = AttributeKey.stringKey("k8s.pod.name");

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final List<Consumer<MetricSink>> reports = new ArrayList<>();
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private MetricsBridge bridge;
  private SdkMeterProvider provider;

  private void start(WorkloadAttributes workloads) {
    bridge =
        new MetricsBridge(
            workloads,
            HistogramLayout.DEFAULT,
            InstrumentationScopeInfo.create("dev.aiprof"),
            now::get);
    bridge.addSource(sink -> reports.forEach(r -> r.accept(sink)));
    provider =
        SdkMeterProvider.builder()
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "t")))
            .registerMetricReader(reader)
            .registerMetricProducer(bridge)
            .build();
  }

  @AfterEach
  void close() {
    provider.close();
  }

  private Collection<MetricData> collect() {
    now.addAndGet(1_000_000_000L);
    return reader.collectAllMetrics();
  }

  private static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aCounterIsAMonotonicCumulativeSumWithItsDescriptionAndUnit() {
    start(WorkloadAttributes.NONE);
    reports.add(s -> s.counter(EPISODES, Attributes.empty(), 42));
    MetricData m = metric(collect(), "test.episodes");
    assertThat(m.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
    assertThat(m.getDescription()).isEqualTo("Episodes seen");
    assertThat(m.getUnit()).isEqualTo("{episode}");
    assertThat(m.getDoubleSumData().isMonotonic()).isTrue();
    assertThat(m.getDoubleSumData().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.CUMULATIVE);
    assertThat(m.getDoubleSumData().getPoints())
        .singleElement()
        .satisfies(p -> assertThat(p.getValue()).isEqualTo(42.0));
    assertThat(m.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("t");
  }

  @Test
  void aGaugeIsAGauge() {
    start(WorkloadAttributes.NONE);
    reports.add(s -> s.gauge(QUEUE, Attributes.empty(), 7));
    MetricData m = metric(collect(), "test.queue.depth");
    assertThat(m.getType()).isEqualTo(MetricDataType.DOUBLE_GAUGE);
    assertThat(m.getDoubleGaugeData().getPoints())
        .singleElement()
        .satisfies(p -> assertThat(p.getValue()).isEqualTo(7.0));
  }

  @Test
  void aLog2HistogramBecomesSecondsWithSumAndCount() {
    start(WorkloadAttributes.NONE);
    long[] slots = new long[40];
    slots[3] = 2; // [8, 16) ns: first bucket
    slots[20] = 5; // [~1.05 ms, ~2.1 ms)
    reports.add(s -> s.histogram(WAIT, Attributes.empty(), new Log2Histogram(slots), 7_000_000));
    MetricData m = metric(collect(), "test.wait");
    assertThat(m.getType()).isEqualTo(MetricDataType.HISTOGRAM);
    assertThat(m.getUnit()).isEqualTo("s");
    HistogramPointData p = m.getHistogramData().getPoints().iterator().next();
    assertThat(p.getCount()).isEqualTo(7);
    assertThat(p.getSum()).isEqualTo(0.007);
    assertThat(p.getBoundaries()).isEqualTo(HistogramLayout.DEFAULT.boundaries(40));
    assertThat(p.getCounts().get(0)).isEqualTo(2);
    int bucket = p.getCounts().indexOf(5L);
    assertThat(p.getBoundaries().get(bucket)).isEqualTo((1L << 21) / 1e9);
    assertThat(p.getBoundaries().get(bucket - 1)).isEqualTo((1L << 20) / 1e9);
  }

  @Test
  void startTimesStayPutAndMoveOnlyForNewSeriesAndResets() {
    start(WorkloadAttributes.NONE);
    long bridgeStart = now.get();
    Attributes a = Attributes.of(POD, "a");
    Attributes b = Attributes.of(POD, "b");
    double[] value = {10};
    reports.add(s -> s.counter(EPISODES, a, value[0]));
    long first = start(collect(), a);
    assertThat(first).isEqualTo(bridgeStart);
    long firstCollection = now.get();
    value[0] = 20;
    assertThat(start(collect(), a)).as("same series, same start").isEqualTo(first);
    long secondCollection = now.get();
    reports.add(s -> s.counter(EPISODES, b, 1));
    Collection<MetricData> third = collect();
    assertThat(start(third, a)).isEqualTo(first);
    assertThat(start(third, b))
        .as("new series: absent at the previous collection")
        .isEqualTo(secondCollection)
        .isGreaterThan(firstCollection);
    long thirdCollection = now.get();
    value[0] = 3; // the collector lost its entry and started again
    assertThat(start(collect(), a)).as("reset").isEqualTo(thirdCollection);
  }

  private static long start(Collection<MetricData> all, Attributes a) {
    return metric(all, "test.episodes").getDoubleSumData().getPoints().stream()
        .filter(p -> p.getAttributes().get(POD).equals(a.get(POD)))
        .map(PointData::getStartEpochNanos)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void rawIdentityIsEnrichedAndKept() {
    start(
        (v2, v1) ->
            v2 == 77
                ? Attributes.of(POD, "trainer-0", Identity.CGROUP_ID, -1L)
                : Attributes.empty());
    reports.add(
        s ->
            s.counter(
                EPISODES,
                Identity.cgroup(77, 5).toBuilder().put("aiprof.sched.state", "sleep").build(),
                1));
    reports.add(s -> s.counter(EPISODES, Identity.cgroup(88, 0), 2));
    Collection<MetricData> all = collect();
    List<Attributes> series =
        metric(all, "test.episodes").getDoubleSumData().getPoints().stream()
            .map(PointData::getAttributes)
            .toList();
    assertThat(series)
        .containsExactlyInAnyOrder(
            Attributes.builder()
                .put(POD, "trainer-0")
                .put(Identity.CGROUP_ID, 77L)
                .put(Identity.CGROUP_V1_ID, 5L)
                .put("aiprof.sched.state", "sleep")
                .build(),
            Identity.cgroup(88, 0));
  }

  @Test
  void aFailingLookupLeavesTheRawIds() {
    start(
        (v2, v1) -> {
          throw new IllegalStateException("resolver down");
        });
    reports.add(s -> s.counter(EPISODES, Identity.cgroup(77, 5), 1));
    assertThat(metric(collect(), "test.episodes").getDoubleSumData().getPoints())
        .singleElement()
        .satisfies(p -> assertThat(p.getAttributes()).isEqualTo(Identity.cgroup(77, 5)));
  }

  @Test
  void aSecondMetricOfTheSameNameButAnotherKindIsRefusedAndCounted() {
    start(WorkloadAttributes.NONE);
    reports.add(s -> s.counter(EPISODES, Attributes.empty(), 1));
    reports.add(
        s ->
            s.gauge(
                MetricId.gauge("test.episodes", "Other", "{episode}"), Attributes.of(POD, "x"), 9));
    MetricData m = metric(collect(), "test.episodes");
    assertThat(m.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
    assertThat(m.getDoubleSumData().getPoints()).hasSize(1);
    assertThat(bridge.conflicts()).isEqualTo(1);
  }

  @Test
  void aSourceThatThrowsIsCountedAndTheOthersStillReport() {
    start(WorkloadAttributes.NONE);
    bridge.addSource(
        s -> {
          throw new IllegalStateException("broken collector");
        });
    reports.add(s -> s.counter(EPISODES, Attributes.empty(), 1));
    Collection<MetricData> all = collect();
    assertThat(all).extracting(MetricData::getName).contains("test.episodes");
    collect();
    assertThat(bridge.sourceFailures()).isEqualTo(2);
  }
}
