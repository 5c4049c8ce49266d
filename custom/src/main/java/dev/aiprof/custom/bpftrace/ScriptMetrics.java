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
  private final Map<String, MetricId[]> ids = new HashMap<>();

  ScriptMetrics(Script script, IntFunction<Optional<PidCgroups.Ids>> cgroupsOfPid) {
    this.script = script;
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

  void collect(MetricSink sink) {
    Map<String, List<OutputLine.Entry>> copy;
    synchronized (this) {
      copy = new HashMap<>(latest);
    }
    copy.forEach(
        (map, entries) -> {
          MapDecl decl = script.map(map);
          MetricId[] id = ids.get(map);
          for (OutputLine.Entry e : entries) {
            report(sink, id, attributes(decl.keys(), e.key()), e.value());
          }
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
