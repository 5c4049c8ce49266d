package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The latest printed values of one script's maps, and how they become metrics: map {@code @m} of
 * script {@code s} is {@code bpftrace.s.m} (the anonymous map {@code @} is {@code bpftrace.s.map});
 * {@code count()}/{@code sum()}/{@code ++} a counter, {@code hist()}/{@code lhist()} a histogram
 * (values taken as nanoseconds, exported in seconds), {@code stats()} the counters {@code
 * bpftrace.s.m.count} and {@code .total}, anything else a gauge. Key expressions become attributes:
 * {@code pid} is {@code process.pid} plus the process's cgroup ids, {@code tid} {@code thread.id},
 * {@code cgroup} {@code aiprof.cgroup.id} (both of which the agent resolves to the workload), a
 * name such as {@code comm} {@code bpftrace.comm}, any other expression {@code bpftrace.key<i>}.
 *
 * <p>Only maps the script declares are kept (at most the maps declared, each at most the parser's
 * key bound). Thread-safe: the reader thread updates, the metric reader collects.
 */
final class ScriptMetrics {
  private final Script script;
  private final IntFunction<Optional<PidCgroups.Ids>> cgroupsOfPid;
  private final Map<String, List<OutputLine.Entry>> latest = new HashMap<>();

  /**
   * Per map and key, what ended runs counted (counters, histograms, stats): a restarted bpftrace's
   * maps start from zero, so the exported value is this carry plus the current run's value and a
   * cumulative counter never goes back. Bounded like {@code latest}: the declared maps, each at
   * most the keys ended runs printed (the parser's key bound per run; keys of a map whose carry is
   * full are dropped and counted, see {@link #droppedCarry}).
   */
  private final Map<String, Map<List<String>, MapValue>> carry = new HashMap<>();

  private final int maxCarryKeys;
  private long droppedCarry;
  private final Map<String, MetricId[]> ids = new HashMap<>();

  ScriptMetrics(Script script, IntFunction<Optional<PidCgroups.Ids>> cgroupsOfPid) {
    this(script, cgroupsOfPid, 4 * BpftraceSettings.MAX_KEYS.defaultValue());
  }

  /** {@code maxCarryKeys}: the most keys of one map carried over ended runs. */
  ScriptMetrics(
      Script script, IntFunction<Optional<PidCgroups.Ids>> cgroupsOfPid, int maxCarryKeys) {
    this.script = script;
    this.maxCarryKeys = maxCarryKeys;
    this.cgroupsOfPid = cgroupsOfPid;
    for (MapDecl m : script.maps()) {
      ids.put(m.name(), metricIds(script.name(), m));
    }
  }

  /** Keeps {@code print} as the map's latest value; false for a map the script does not declare. */
  synchronized boolean update(OutputLine.MapPrint print) {
    if (!ids.containsKey(print.map())) {
      return false;
    }
    latest.put(print.map(), print.entries());
    return true;
  }

  /**
   * The run of bpftrace ended (the runner calls this when the child exited): each key's last value
   * of a cumulative map (counter, histogram, stats) is folded into the carry, gauges are dropped,
   * and until the next run prints, only the carry is exported (nothing stale as if live).
   */
  synchronized void runEnded() {
    latest.forEach(
        (map, entries) -> {
          if (script.map(map).kind() == MapKind.GAUGE) {
            return;
          }
          Map<List<String>, MapValue> c = carry.computeIfAbsent(map, k -> new HashMap<>());
          for (OutputLine.Entry e : entries) {
            MapValue before = c.get(e.key());
            if (before == null && c.size() >= maxCarryKeys) {
              droppedCarry++;
              continue;
            }
            MapValue sum = plus(before, e.value());
            if (sum != null) {
              c.put(e.key(), sum);
            }
          }
        });
    latest.clear();
  }

  /** Keys of ended runs left out of the carry (its bound was reached). */
  synchronized long droppedCarry() {
    return droppedCarry;
  }

  /**
   * {@code a + b} for values of one shape; {@code b} when {@code a} is null; null on a mismatch.
   */
  static MapValue plus(MapValue a, MapValue b) {
    if (a == null) {
      return b;
    }
    return switch (a) {
      case MapValue.Number x when b instanceof MapValue.Number y ->
          new MapValue.Number(x.value() + y.value());
      case MapValue.Histogram x when b instanceof MapValue.Histogram y ->
          new MapValue.Histogram(x.slots().plus(y.slots()), x.estimatedSum() + y.estimatedSum());
      case MapValue.Stats x when b instanceof MapValue.Stats y -> {
        long count = x.count() + y.count();
        long total = x.total() + y.total();
        yield new MapValue.Stats(count, total, count == 0 ? 0 : total / count);
      }
      default -> a;
    };
  }

  void collect(MetricSink sink) {
    Map<String, Map<List<String>, MapValue>> values = new HashMap<>();
    synchronized (this) {
      carry.forEach((map, c) -> values.put(map, new HashMap<>(c)));
      latest.forEach(
          (map, entries) -> {
            Map<List<String>, MapValue> v = values.computeIfAbsent(map, k -> new HashMap<>());
            for (OutputLine.Entry e : entries) {
              v.merge(e.key(), e.value(), ScriptMetrics::plus);
            }
          });
    }
    values.forEach(
        (map, entries) -> {
          MapDecl decl = script.map(map);
          MetricId[] id = ids.get(map);
          entries.forEach((key, value) -> report(sink, id, attributes(decl.keys(), key), value));
        });
  }

  /** Reports one value; a value of another shape than the map's declaration is left out. */
  private static void report(MetricSink sink, MetricId[] id, Attributes a, MapValue v) {
    MetricId.Kind kind = id[0].kind();
    switch (v) {
      case MapValue.Number n when kind == MetricId.Kind.COUNTER ->
          sink.counter(id[0], a, n.value());
      case MapValue.Number n when kind == MetricId.Kind.GAUGE -> sink.gauge(id[0], a, n.value());
      case MapValue.Histogram h when kind == MetricId.Kind.HISTOGRAM ->
          sink.histogram(id[0], a, h.slots(), h.estimatedSum());
      case MapValue.Stats st when id.length == 2 -> {
        sink.counter(id[0], a, st.count());
        sink.counter(id[1], a, st.total());
      }
      default -> {}
    }
  }

  static MetricId[] metricIds(String script, MapDecl m) {
    String name = "bpftrace." + script + "." + metricPart(m.name());
    String what = "bpftrace script " + script + ", map @" + m.name();
    return switch (m.kind()) {
      case COUNTER ->
          new MetricId[] {MetricId.counter(name, what + " (" + m.function() + ")", "1")};
      case HISTOGRAM -> new MetricId[] {MetricId.histogram(name, what + " (" + m.function() + ")")};
      case STATS ->
          new MetricId[] {
            MetricId.counter(name + ".count", what + ": values counted (stats)", "1"),
            MetricId.counter(name + ".total", what + ": total of the values (stats)", "1")
          };
      case GAUGE ->
          new MetricId[] {
            MetricId.gauge(
                name, what + (m.function().isEmpty() ? "" : " (" + m.function() + ")"), "1")
          };
    };
  }

  private static String metricPart(String map) {
    if (map.isEmpty()) {
      return "map";
    }
    String n = map.toLowerCase(java.util.Locale.ROOT);
    return Character.isLetter(n.charAt(0)) ? n : "m" + n;
  }

  Attributes attributes(List<String> exprs, List<String> parts) {
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < parts.size(); i++) {
      String expr = i < exprs.size() ? exprs.get(i) : "";
      String v = parts.get(i).strip();
      switch (expr) {
        case "pid" -> {
          Long pid = number(v);
          if (pid == null) {
            b.put(AttributeKey.stringKey("bpftrace.pid"), v);
          } else {
            b.put(Identity.PID, pid);
            cgroupsOfPid
                .apply(pid.intValue())
                .ifPresent(
                    ids -> {
                      b.put(Identity.CGROUP_ID, ids.v2());
                      b.put(Identity.CGROUP_V1_ID, ids.v1());
                    });
          }
        }
        case "tid" -> putNumber(b, Identity.TID, "bpftrace.tid", v);
        case "cgroup" -> {
          putNumber(b, Identity.CGROUP_ID, "bpftrace.cgroup", v);
          b.put(Identity.CGROUP_V1_ID, 0L);
        }
        default -> b.put(AttributeKey.stringKey(attributeName(expr, i)), v);
      }
    }
    return b.build();
  }

  private static void putNumber(AttributesBuilder b, AttributeKey<Long> k, String alt, String v) {
    Long n = number(v);
    if (n == null) {
      b.put(AttributeKey.stringKey(alt), v);
    } else {
      b.put(k, n);
    }
  }

  static String attributeName(String expr, int index) {
    return expr.matches("[a-z_][a-z0-9_]*") ? "bpftrace." + expr : "bpftrace.key" + index;
  }

  private static Long number(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The metric ids of every declared map (for docs and tests). */
  List<MetricId> metricIds() {
    List<MetricId> out = new ArrayList<>();
    ids.values().forEach(a -> out.addAll(List.of(a)));
    return out;
  }
}
