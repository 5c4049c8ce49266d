package dev.aiprof.exporters.metrics;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSource;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The bridge from collectors to the OpenTelemetry SDK: a {@link MetricProducer} that, on every
 * collection (a periodic export, a Prometheus scrape), asks each {@link MetricSource} for its
 * cumulative values and turns them into {@link MetricData} with CUMULATIVE temporality: a {@link
 * MetricId.Kind#COUNTER} becomes a monotonic sum, a GAUGE a gauge, a HISTOGRAM (log2 ns) an
 * explicit-bucket histogram in seconds ({@link HistogramLayout}). Series with raw workload identity
 * are enriched with workload attributes ({@link WorkloadAttributes}). Start times are stable per
 * series ({@link SeriesStarts}). Nothing here names a metric: a new collector only declares its
 * {@link MetricId}s.
 *
 * <p>Thread-safe: collections are serialized (sources such as the pipeline are single-threaded), so
 * two readers never collect at once.
 */
public final class MetricsBridge implements MetricProducer {
  private static final System.Logger LOG = System.getLogger(MetricsBridge.class.getName());

  private final List<MetricSource> sources = new CopyOnWriteArrayList<>();
  private final WorkloadAttributes workloads;
  private final HistogramLayout layout;
  private final InstrumentationScopeInfo scope;
  private final LongSupplier epochNanos;
  private final SeriesStarts starts;
  private final Set<String> failedSources = ConcurrentHashMap.newKeySet();
  private long sourceFailures;
  private long conflicts;

  /**
   * @param workloads maps raw cgroup ids to workload attributes
   * @param scope the instrumentation scope of every metric ("aiprof" and the agent's version)
   * @param epochNanos the wall clock
   */
  public MetricsBridge(
      WorkloadAttributes workloads,
      HistogramLayout layout,
      InstrumentationScopeInfo scope,
      LongSupplier epochNanos) {
    this.workloads = workloads;
    this.layout = layout;
    this.scope = scope;
    this.epochNanos = epochNanos;
    this.starts = new SeriesStarts(epochNanos.getAsLong(), Duration.ofMinutes(10).toNanos());
  }

  public MetricsBridge addSource(MetricSource source) {
    sources.add(source);
    return this;
  }

  @Override
  public synchronized Collection<MetricData> produce(Resource resource) {
    Snapshot snap = new Snapshot();
    for (MetricSource s : sources) {
      try {
        s.collect(snap);
      } catch (RuntimeException e) {
        sourceFailures++;
        if (failedSources.add(s.getClass().getName())) {
          LOG.log(System.Logger.Level.WARNING, "metric source " + s + " failed: " + e);
        }
      }
    }
    conflicts += snap.conflicts();
    long now = epochNanos.getAsLong();
    Enrichment enrich = new Enrichment(workloads);
    List<MetricData> out = new ArrayList<>();
    for (MetricId id : snap.metrics().values()) {
      Map<Attributes, Object> series = snap.series(id.name());
      if (!series.isEmpty()) {
        out.add(convert(resource, id, series, enrich, now));
      }
    }
    starts.collected(now);
    return out;
  }

  private MetricData convert(
      Resource resource, MetricId id, Map<Attributes, Object> series, Enrichment e, long now) {
    return switch (id.kind()) {
      case COUNTER -> {
        List<DoublePointData> points = new ArrayList<>();
        series.forEach((a, v) -> points.add(point(id, e.apply(a), (Double) v, now)));
        yield metric(
            resource,
            id,
            MetricDataType.DOUBLE_SUM,
            SumData.createDoubleSumData(true, AggregationTemporality.CUMULATIVE, points));
      }
      case GAUGE -> {
        List<DoublePointData> points = new ArrayList<>();
        series.forEach((a, v) -> points.add(point(id, e.apply(a), (Double) v, now)));
        yield metric(
            resource, id, MetricDataType.DOUBLE_GAUGE, GaugeData.createDoubleGaugeData(points));
      }
      case HISTOGRAM -> {
        List<HistogramPointData> points = new ArrayList<>();
        series.forEach(
            (a, v) -> points.add(histogram(id, e.apply(a), (Snapshot.Histogram) v, now)));
        yield metric(
            resource,
            id,
            MetricDataType.HISTOGRAM,
            HistogramData.create(AggregationTemporality.CUMULATIVE, points));
      }
    };
  }

  private DoublePointData point(MetricId id, Attributes a, double v, long now) {
    double cumulative = id.kind() == MetricId.Kind.COUNTER ? v : 0;
    return DoublePointData.create(
        starts.start(id.name(), a, cumulative, now), now, a, v, List.of());
  }

  private HistogramPointData histogram(MetricId id, Attributes a, Snapshot.Histogram h, long now) {
    long start = starts.start(id.name(), a, h.nanos().total(), now);
    return HistogramPointData.create(
        start,
        now,
        a,
        h.sumNanos() / 1e9,
        false,
        0,
        false,
        0,
        layout.boundaries(h.nanos().slots()),
        layout.counts(h.nanos()));
  }

  private MetricData metric(
      Resource r,
      MetricId id,
      MetricDataType type,
      io.opentelemetry.sdk.metrics.data.Data<?> data) {
    return new MetricRecord(r, scope, id.name(), id.description(), id.unit(), type, data);
  }

  /** Sources that threw, and metrics refused because another of the same name differed. */
  public synchronized long sourceFailures() {
    return sourceFailures;
  }

  public synchronized long conflicts() {
    return conflicts;
  }
}
