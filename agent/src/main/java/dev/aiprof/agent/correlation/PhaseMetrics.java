package dev.aiprof.agent.correlation;

import dev.aiprof.agent.identity.WorkloadName;
import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import dev.aiprof.api.settings.Settings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Phase-level metrics, recorded into OpenTelemetry SDK instruments so that each reader aggregates
 * them its own way: {@code aiprof.phase.duration} (a histogram, s), {@code aiprof.phase.time} by
 * {@code aiprof.phase.category} (time categories: on_cpu, runqueue, ..., gpu_busy; s), {@code
 * aiprof.phase.bytes} and {@code aiprof.phase.events} (amount categories), per workload, phase name
 * and origin. The OTLP and file readers get the duration as a base-2 exponential histogram (at most
 * {@code aiprof.exporter.metrics.histogram-max-scale}), the Prometheus reader as the explicit
 * buckets of {@link PhaseMetricsSettings#DURATION_BUCKETS} (the bucket advice). Only categories a
 * phase had (a value above 0) make series. The series key keeps the workload's identity but not
 * per-process attributes ({@code process.*}), so restarts do not multiply series.
 *
 * <p>Bounded, in two steps like the SDK's cardinality limit: a workload gets at most {@code
 * maxNames} distinct phase names in metrics, and phases with further names are recorded under the
 * name {@value #OTHER}; and all workloads together get at most {@code maxSeries} (workload, name,
 * origin) series, beyond which a new series' phases are recorded in one overflow series per origin
 * without workload attributes ({@value #OTHER} and {@code otel.metric.overflow=true}, the SDK's own
 * overflow attribute). Both are counted ({@code aiprof.phase.names.overflow}, by workload, or with
 * {@code otel.metric.overflow=true}) and logged once. Spans keep their names. Series are never
 * forgotten (cumulative readers keep them for the agent's life), so neither is their count: with
 * churning pods the overflow series fills over days, which its counter shows. The SDK's own
 * cardinality limit ({@code otel.java.metrics.cardinality.limit}) stays a backstop per instrument.
 *
 * <p>Thread-safe: phases may arrive on any thread.
 */
public final class PhaseMetrics implements CorrelatedPhaseSink {
  private static final System.Logger LOG = System.getLogger(PhaseMetrics.class.getName());

  public static final AttributeKey<String> PHASE = AttributeKey.stringKey("aiprof.phase.name");
  public static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("aiprof.phase.origin");
  public static final AttributeKey<String> CATEGORY =
      AttributeKey.stringKey("aiprof.phase.category");

  public static final String DURATION = "aiprof.phase.duration";
  public static final String TIME = "aiprof.phase.time";
  public static final String BYTES = "aiprof.phase.bytes";
  public static final String EVENTS = "aiprof.phase.events";
  public static final String OVERFLOW = "aiprof.phase.names.overflow";

  /** The phase name of a workload's phases beyond its {@code maxNames} names. */
  public static final String OTHER = "_other";

  /** The SDK's overflow attribute: the series stands for attributes beyond the limit. */
  public static final AttributeKey<Boolean> OVERFLOWED =
      AttributeKey.booleanKey("otel.metric.overflow");

  /** Raw workload attributes (with {@code process.*}) whose lookups are cached. */
  static final int MAX_CACHED = 4096;

  private final int maxNames;
  private final int maxSeries;
  private final DoubleHistogram duration;
  private final DoubleCounter time;
  private final LongCounter bytes;
  private final LongCounter events;
  private final LongCounter overflow;
  // Workloads with series (at most maxSeries: each has one), and the overflow "workload".
  private final Map<Attributes, Workload> workloads = new HashMap<>();
  private final Workload overflowWorkload =
      new Workload(Attributes.of(OVERFLOWED, true), Attributes.of(OVERFLOWED, true));

  /** By the phases' own workload attributes (with {@code process.*}): no key built per phase. */
  private final Map<Attributes, Workload> byProcess = lru(MAX_CACHED);

  private long overflowed;
  private long seriesCount;
  private boolean totalLogged;

  /** One workload's phase names in metrics, each with its series' attributes. */
  private static final class Workload {
    final Attributes attributes; // of its series
    final Attributes counted; // of its overflow count
    final Set<String> names = new HashSet<>();
    final Map<String, Series> series = new HashMap<>();

    Workload(Attributes attributes, Attributes counted) {
      this.attributes = attributes;
      this.counted = counted;
    }
  }

  /** The attributes of one (workload, name, origin)'s series, made once. */
  private static final class Series {
    final Attributes key;
    final Map<Category, Attributes> byCategory = new EnumMap<>(Category.class);

    Series(Attributes key) {
      this.key = key;
    }

    synchronized Attributes of(Category c) {
      return byCategory.computeIfAbsent(c, k -> key.toBuilder().put(CATEGORY, k.id()).build());
    }
  }

  /**
   * @param meter where the instruments are made (the exporters' meter)
   * @param maxNames distinct phase names per workload before {@value #OTHER}
   * @param maxSeries (workload, name, origin) series of all workloads before the overflow series
   * @param durationBuckets the explicit bucket boundaries, increasing: the advice for readers that
   *     aggregate explicitly (Prometheus)
   */
  public PhaseMetrics(Meter meter, int maxNames, List<Duration> durationBuckets) {
    this(meter, maxNames, PhaseMetricsSettings.MAX_SERIES.defaultValue(), durationBuckets);
  }

  /**
   * @param meter where the instruments are made (the exporters' meter)
   * @param maxNames distinct phase names per workload before {@value #OTHER}
   * @param maxSeries (workload, name, origin) series of all workloads before the overflow series
   * @param durationBuckets the explicit bucket boundaries, increasing: the advice for readers that
   *     aggregate explicitly (Prometheus)
   */
  public PhaseMetrics(Meter meter, int maxNames, int maxSeries, List<Duration> durationBuckets) {
    if (maxNames < 1 || maxSeries < 1) {
      throw new IllegalArgumentException("maxNames " + maxNames + ", maxSeries " + maxSeries);
    }
    this.maxNames = maxNames;
    this.maxSeries = maxSeries;
    this.duration =
        meter
            .histogramBuilder(DURATION)
            .setDescription("Wall-clock duration of workload phases")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(
                durationBuckets.stream().map(d -> d.toNanos() / 1e9).toList())
            .build();
    this.time =
        meter
            .counterBuilder(TIME)
            .ofDoubles()
            .setDescription(
                "Time inside phases by category: thread time (on_cpu, runqueue, blocked, sleep,"
                    + " other, steal) and device time (gpu_busy, cuda_sync, block_io_wait)")
            .setUnit("s")
            .build();
    this.bytes =
        meter
            .counterBuilder(BYTES)
            .setDescription("Bytes moved inside phases by category (bytes_read, net_sent...)")
            .setUnit("By")
            .build();
    this.events =
        meter
            .counterBuilder(EVENTS)
            .setDescription("Events inside phases by category (page_cache_misses, major_faults...)")
            .setUnit("{event}")
            .build();
    this.overflow =
        meter
            .counterBuilder(OVERFLOW)
            .setDescription(
                "Phases recorded under the name _other because their workload already had"
                    + " metrics.max-phase-names names in metrics, or (otel.metric.overflow=true,"
                    + " no workload) in the overflow series because all workloads had"
                    + " metrics.max-phase-series series (spans keep their names)")
            .setUnit("{phase}")
            .build();
  }

  /** With the settings' {@code metrics.*} values ({@link PhaseMetricsSettings}). */
  public static PhaseMetrics create(Meter meter, Settings settings) {
    return new PhaseMetrics(
        meter,
        settings.get(PhaseMetricsSettings.MAX_NAMES),
        settings.get(PhaseMetricsSettings.MAX_SERIES),
        settings.get(PhaseMetricsSettings.DURATION_BUCKETS));
  }

  @Override
  public void accept(CorrelatedPhase c) {
    Series s = series(c);
    duration.record(c.phase().durationNs() / 1e9, s.key);
    c.values()
        .forEach(
            (category, v) -> {
              if (v <= 0) {
                return;
              }
              switch (category.kind()) {
                case THREAD_TIME, DEVICE_TIME -> time.add(v / 1e9, s.of(category));
                case BYTES -> bytes.add(v, s.of(category));
                case EVENTS -> events.add(v, s.of(category));
              }
            });
  }

  /** Phases counted as {@value #OTHER} so far. */
  public synchronized long overflowed() {
    return overflowed;
  }

  /** Series made so far (at most {@code maxSeries}, plus the overflow series). */
  public synchronized long series() {
    return seriesCount;
  }

  private synchronized Series series(CorrelatedPhase c) {
    Workload w = byProcess.computeIfAbsent(c.workload(), this::workloadOf);
    String name = c.phase().name();
    String origin = c.phase().origin().label();
    if (w == overflowWorkload) {
      return overflowSeries(c, origin, false);
    }
    Series s = w.series.get(origin + '\0' + name);
    if (s != null) {
      return s;
    }
    boolean counted = false;
    if (!w.names.contains(name)) {
      if (w.names.size() >= maxNames) {
        overflow(w, c);
        counted = true;
        name = OTHER;
        s = w.series.get(origin + '\0' + name);
        if (s != null) {
          return s;
        }
      } else if (seriesCount < maxSeries) {
        w.names.add(name);
      }
    }
    if (seriesCount >= maxSeries) {
      return overflowSeries(c, origin, counted);
    }
    seriesCount++;
    return w.series.computeIfAbsent(origin + '\0' + name, k -> series(w, origin, k));
  }

  private static Series series(Workload w, String origin, String key) {
    return new Series(
        w.attributes.toBuilder()
            .put(PHASE, key.substring(origin.length() + 1))
            .put(ORIGIN, origin)
            .build());
  }

  /** The overflow series of {@code origin}: the series of all workloads are taken. */
  private Series overflowSeries(CorrelatedPhase c, String origin, boolean counted) {
    if (!counted) {
      overflowTotal(c);
    }
    return overflowWorkload.series.computeIfAbsent(
        origin + '\0' + OTHER, k -> series(overflowWorkload, origin, k));
  }

  /** The workload of a phase's attributes; the overflow one once the series are all taken. */
  private Workload workloadOf(Attributes raw) {
    Attributes a = workload(raw);
    Workload w = workloads.get(a);
    if (w == null) {
      if (workloads.size() >= maxSeries) {
        return overflowWorkload;
      }
      w = new Workload(a, a);
      workloads.put(a, w);
    }
    return w;
  }

  private void overflow(Workload w, CorrelatedPhase c) {
    overflow.add(1, w.counted);
    if (overflowed++ == 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "workload "
              + w.attributes
              + " has more than "
              + maxNames
              + " phase names: phases with further names (first: '"
              + c.phase().name()
              + "') are counted in metrics as '"
              + OTHER
              + "' (aiprof.phase.names.overflow); their spans keep their names. Raise "
              + PhaseMetricsSettings.MAX_NAMES.key()
              + " to keep more. (Logged once.)");
    }
  }

  private void overflowTotal(CorrelatedPhase c) {
    overflow.add(1, overflowWorkload.counted);
    overflowed++;
    if (!totalLogged) {
      totalLogged = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "all workloads together have "
              + maxSeries
              + " phase series in metrics: phases of further (workload, name) pairs (first: '"
              + c.phase().name()
              + "') are counted in one overflow series ('"
              + OTHER
              + "', otel.metric.overflow=true, no workload); their spans keep their names."
              + " Raise "
              + PhaseMetricsSettings.MAX_SERIES.key()
              + " (and the heap) to keep more. (Logged once.)");
    }
  }

  /** The workload's attributes without {@code process.*}, named ({@link WorkloadName}). */
  static Attributes workload(Attributes processWorkload) {
    AttributesBuilder b = Attributes.builder();
    String name = WorkloadName.of(processWorkload);
    if (name != null) {
      b.put(WorkloadName.KEY, name);
    }
    processWorkload.forEach(
        (k, v) -> {
          if (!k.getKey().startsWith("process.")) {
            putAny(b, k, v);
          }
        });
    return b.build();
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static void putAny(AttributesBuilder b, AttributeKey<?> k, Object v) {
    b.put((AttributeKey<Object>) k, v);
  }
}
