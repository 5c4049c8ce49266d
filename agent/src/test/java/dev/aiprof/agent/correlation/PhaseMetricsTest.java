package dev.aiprof.agent.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Phase metrics into SDK instruments, read with the SDK's in-memory readers. */
class PhaseMetricsTest {
  static final AttributeKey<String> POD = AttributeKey.stringKey("k8s.pod.name");

  /** Explicit buckets by default, as the Prometheus reader. */
  final InMemoryMetricReader explicit = InMemoryMetricReader.create();

  /** Base-2 exponential histograms, as the OTLP and file exporters with the agent's defaults. */
  final InMemoryMetricReader exponential =
      InMemoryMetricReader.builder()
          .setDefaultAggregationSelector(
              DefaultAggregationSelector.getDefault()
                  .with(InstrumentType.HISTOGRAM, Aggregation.base2ExponentialBucketHistogram()))
          .build();

  final SdkMeterProvider provider =
      SdkMeterProvider.builder()
          .registerMetricReader(explicit)
          .registerMetricReader(exponential)
          .build();

  @AfterEach
  void close() {
    provider.close();
  }

  PhaseMetrics metrics(int maxNames) {
    return new PhaseMetrics(
        provider.get("dev.aiprof"), maxNames, PhaseMetricsSettings.DEFAULT_BUCKETS);
  }

  static CorrelatedPhase phase(String pod, String name, long durationNs, Map<Category, Long> v) {
    Phase p = new Phase(name, PhaseOrigin.MARKER, 42, 43, 1_000, 1_000 + durationNs, 0, null, null);
    Attributes workload =
        Attributes.builder().put(POD, pod).put("process.pid", 42L).put("k8s.pod.uid", pod).build();
    return new CorrelatedPhase(p, workload, Attributes.empty(), List.of(), v, List.of(), 0, 0);
  }

  static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  static Set<String> values(MetricData m, AttributeKey<String> key) {
    return m.getData().getPoints().stream()
        .map(p -> ((PointData) p).getAttributes().get(key))
        .collect(Collectors.toSet());
  }

  @Test
  void prometheusLikeReadersGetTheAdvisedBucketsAndOtlpLikeOnesExponentialHistograms() {
    PhaseMetrics m = metrics(256);
    m.accept(phase("trainer-0", "step", 3_000_000, Map.of()));
    m.accept(phase("trainer-0", "step", 700_000_000, Map.of()));

    MetricData d = metric(explicit.collectAllMetrics(), PhaseMetrics.DURATION);
    assertThat(d.getType()).isEqualTo(MetricDataType.HISTOGRAM);
    assertThat(d.getUnit()).isEqualTo("s");
    HistogramPointData h = d.getHistogramData().getPoints().iterator().next();
    assertThat(h.getBoundaries())
        .containsExactly(
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
    assertThat(h.getCount()).isEqualTo(2);
    assertThat(h.getSum()).isCloseTo(0.703, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(h.getCounts().get(2)).as("3 ms in (2.5 ms, 5 ms]").isEqualTo(1);
    assertThat(h.getCounts().get(9)).as("700 ms in (500 ms, 1 s]").isEqualTo(1);
    assertThat(h.getAttributes().asMap())
        .containsEntry(POD, "trainer-0")
        .containsEntry(PhaseMetrics.PHASE, "step")
        .containsEntry(PhaseMetrics.ORIGIN, "marker")
        .doesNotContainKey(AttributeKey.longKey("process.pid"));

    MetricData e = metric(exponential.collectAllMetrics(), PhaseMetrics.DURATION);
    assertThat(e.getType()).isEqualTo(MetricDataType.EXPONENTIAL_HISTOGRAM);
    ExponentialHistogramPointData x = e.getExponentialHistogramData().getPoints().iterator().next();
    assertThat(x.getCount()).isEqualTo(2);
    assertThat(x.getMin()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(x.getMax()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(x.getScale())
        .as("full resolution: far finer than the explicit buckets")
        .isPositive();
  }

  @Test
  void timeAndAmountCategoriesGoToTheirOwnInstrumentsAndZeroValuesMakeNoSeries() {
    PhaseMetrics m = metrics(256);
    m.accept(
        phase(
            "trainer-0",
            "load",
            10_000_000,
            Map.of(
                Category.ON_CPU, 4_000_000L,
                Category.BLOCKED, 6_000_000L,
                Category.STEAL, 0L,
                Category.GPU_BUSY, 2_000_000L,
                Category.BYTES_READ, 4096L,
                Category.MAJOR_FAULTS, 3L)));
    Collection<MetricData> all = explicit.collectAllMetrics();
    MetricData time = metric(all, PhaseMetrics.TIME);
    assertThat(time.getUnit()).isEqualTo("s");
    assertThat(values(time, PhaseMetrics.CATEGORY))
        .containsExactlyInAnyOrder("on_cpu", "blocked", "gpu_busy");
    assertThat(time.getDoubleSumData().getPoints())
        .filteredOn(p -> "blocked".equals(p.getAttributes().get(PhaseMetrics.CATEGORY)))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getValue())
                    .isCloseTo(0.006, org.assertj.core.data.Offset.offset(1e-12)));
    MetricData bytes = metric(all, PhaseMetrics.BYTES);
    assertThat(bytes.getUnit()).isEqualTo("By");
    assertThat(bytes.getLongSumData().getPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getValue()).isEqualTo(4096);
              assertThat(p.getAttributes().get(PhaseMetrics.CATEGORY)).isEqualTo("bytes_read");
            });
    MetricData events = metric(all, PhaseMetrics.EVENTS);
    assertThat(events.getUnit()).isEqualTo("{event}");
    assertThat(values(events, PhaseMetrics.CATEGORY)).containsExactly("major_faults");
    assertThat(all).extracting(MetricData::getName).doesNotContain(PhaseMetrics.OVERFLOW);
  }

  @Test
  void namesBeyondTheCapOfAWorkloadBecomeOtherAndAreCountedWhileOtherWorkloadsKeepTheirs() {
    PhaseMetrics m = metrics(3);
    for (String name : List.of("a", "b", "c", "d", "e", "a", "d")) {
      m.accept(phase("noisy", name, 1_000_000, Map.of(Category.ON_CPU, 1_000_000L)));
    }
    m.accept(phase("quiet", "d", 1_000_000, Map.of()));

    Collection<MetricData> all = explicit.collectAllMetrics();
    MetricData d = metric(all, PhaseMetrics.DURATION);
    Map<String, Long> noisy =
        d.getHistogramData().getPoints().stream()
            .filter(p -> "noisy".equals(p.getAttributes().get(POD)))
            .collect(
                Collectors.toMap(
                    p -> p.getAttributes().get(PhaseMetrics.PHASE), p -> p.getCount()));
    assertThat(noisy)
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 2L, "b", 1L, "c", 1L, "_other", 3L));
    assertThat(d.getHistogramData().getPoints())
        .filteredOn(p -> "quiet".equals(p.getAttributes().get(POD)))
        .extracting(p -> p.getAttributes().get(PhaseMetrics.PHASE))
        .containsExactly("d");
    assertThat(values(metric(all, PhaseMetrics.TIME), PhaseMetrics.PHASE))
        .containsExactlyInAnyOrder("a", "b", "c", "_other");
    MetricData overflow = metric(all, PhaseMetrics.OVERFLOW);
    assertThat(overflow.getLongSumData().getPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getValue()).isEqualTo(3);
              assertThat(p.getAttributes().get(POD)).isEqualTo("noisy");
              assertThat(p.getAttributes().get(PhaseMetrics.PHASE)).isNull();
            });
    assertThat(m.overflowed()).isEqualTo(3);
  }

  @Test
  void seriesBeyondTheTotalOfAllWorkloadsGoToOneOverflowSeriesWithoutWorkload() {
    PhaseMetrics m =
        new PhaseMetrics(provider.get("dev.aiprof"), 10, 3, PhaseMetricsSettings.DEFAULT_BUCKETS);
    for (String pod : List.of("p1", "p2", "p3", "p4", "p5")) {
      m.accept(phase(pod, "step", 1_000_000, Map.of()));
    }
    m.accept(phase("p1", "step", 1_000_000, Map.of())); // p1 keeps its series
    m.accept(phase("p1", "other-name", 1_000_000, Map.of())); // none left for a new name

    Collection<MetricData> all = explicit.collectAllMetrics();
    Map<String, Long> counts =
        metric(all, PhaseMetrics.DURATION).getHistogramData().getPoints().stream()
            .collect(
                Collectors.toMap(
                    p ->
                        p.getAttributes().get(PhaseMetrics.OVERFLOWED) != null
                            ? "overflow:" + p.getAttributes().get(PhaseMetrics.PHASE)
                            : p.getAttributes().get(POD)
                                + ":"
                                + p.getAttributes().get(PhaseMetrics.PHASE),
                    p -> p.getCount()));
    assertThat(counts)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("p1:step", 2L, "p2:step", 1L, "p3:step", 1L, "overflow:_other", 3L));
    assertThat(m.series()).isEqualTo(3);
    assertThat(m.overflowed()).isEqualTo(3);
    assertThat(metric(all, PhaseMetrics.OVERFLOW).getLongSumData().getPoints())
        .singleElement()
        .satisfies(p -> assertThat(p.getAttributes().get(PhaseMetrics.OVERFLOWED)).isTrue());
  }

  @Test
  void aNameSeenFromTwoOriginsIsOneNameOfTheCap() {
    PhaseMetrics m = metrics(1);
    m.accept(phase("p", "step", 1_000, Map.of()));
    Phase otlp = new Phase("step", PhaseOrigin.OTLP, 42, 43, 0, 1_000, 0, null, null);
    m.accept(
        new CorrelatedPhase(
            otlp,
            Attributes.of(POD, "p"),
            Attributes.empty(),
            List.of(),
            Map.of(),
            List.of(),
            0,
            0));
    MetricData d = metric(explicit.collectAllMetrics(), PhaseMetrics.DURATION);
    assertThat(values(d, PhaseMetrics.PHASE)).containsExactly("step");
    assertThat(values(d, PhaseMetrics.ORIGIN)).containsExactlyInAnyOrder("marker", "otlp");
    assertThat(m.overflowed()).isZero();
  }

  @Test
  void bucketsComeFromTheSetting() {
    PhaseMetrics m =
        new PhaseMetrics(
            provider.get("dev.aiprof"), 256, List.of(Duration.ofMillis(10), Duration.ofSeconds(1)));
    m.accept(phase("p", "step", 50_000_000, Map.of()));
    HistogramPointData h =
        metric(explicit.collectAllMetrics(), PhaseMetrics.DURATION)
            .getHistogramData()
            .getPoints()
            .iterator()
            .next();
    assertThat(h.getBoundaries()).containsExactly(0.01, 1.0);
    assertThat(h.getCounts()).containsExactly(0L, 1L, 0L);
  }
}
