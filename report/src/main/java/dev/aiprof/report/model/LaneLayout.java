package dev.aiprof.report.model;

import dev.aiprof.report.otlp.SpanRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Places spans on lanes: one lane per (process, thread). A process is a pid (its spans may come
 * from several resources: the workload's own SDK and the agent's spans for its marker phases);
 * spans without a pid are grouped by service. Processes are ordered by their first service name,
 * then pid; threads by tid (0, spans naming no thread, first). On a lane, a span's depth is how
 * many earlier spans of the lane still run at its start (spans nest on a thread). Pure.
 */
final class LaneLayout {
  /** A pid, or for pid 0 a service. */
  private record ProcKey(long pid, String service) {
    static ProcKey of(SpanRecord s) {
      return new ProcKey(s.pid(), s.pid() > 0 ? "" : s.service());
    }
  }

  private final List<SpanRecord> spans;
  private final List<ProcessGroup> processes = new ArrayList<>();
  private final List<Lane> lanes = new ArrayList<>();
  private final int[] laneOf;
  private final int[] depthOf;
  private final boolean[] hasChild;

  private LaneLayout(List<SpanRecord> spans) {
    this.spans = spans;
    this.laneOf = new int[spans.size()];
    this.depthOf = new int[spans.size()];
    this.hasChild = new boolean[spans.size()];
  }

  static LaneLayout of(List<SpanRecord> spans) {
    LaneLayout l = new LaneLayout(spans);
    l.layout();
    return l;
  }

  private void layout() {
    Map<ProcKey, TreeMap<Long, List<Integer>>> byProc = new HashMap<>();
    Map<ProcKey, TreeMap<String, Boolean>> services = new HashMap<>();
    for (int i = 0; i < spans.size(); i++) {
      SpanRecord s = spans.get(i);
      ProcKey k = ProcKey.of(s);
      byProc
          .computeIfAbsent(k, x -> new TreeMap<>())
          .computeIfAbsent(s.tid(), x -> new ArrayList<>())
          .add(i);
      services
          .computeIfAbsent(k, x -> new TreeMap<>())
          .merge(s.service(), !s.attributes().containsKey(SpanKeys.ORIGIN), Boolean::logicalOr);
    }
    List<ProcKey> order = new ArrayList<>(byProc.keySet());
    order.sort(
        Comparator.comparing((ProcKey k) -> label(services.get(k)))
            .thenComparingLong(ProcKey::pid));
    for (ProcKey key : order) {
      var p = Map.entry(key, byProc.get(key));
      List<Integer> laneIds = new ArrayList<>();
      boolean gpu = false;
      for (var t : p.getValue().entrySet()) {
        int lane = lanes.size();
        int depth = nest(t.getValue(), lane);
        lanes.add(
            new Lane(lane, processes.size(), t.getKey(), name(t.getKey(), t.getValue()), depth));
        laneIds.add(lane);
        gpu |= t.getValue().stream().anyMatch(i -> Breakdown.of(spans.get(i)).gpu() > 0);
      }
      processes.add(
          new ProcessGroup(
              processes.size(), label(services.get(key)), key.pid(), List.copyOf(laneIds), gpu));
    }
  }

  /**
   * The process's service names, those of its own spans first: the agent names the spans it makes
   * for marker phases (those with {@code aiprof.phase.origin}) after the executable, the workload's
   * SDK after its service.
   */
  private static String label(TreeMap<String, Boolean> names) {
    List<String> l = new ArrayList<>(names.keySet());
    l.sort(Comparator.comparing((String n) -> !names.get(n)).thenComparing(n -> n));
    return String.join(", ", l);
  }

  /** Sets the depth of each span of one lane; returns the lane's depth. */
  private int nest(List<Integer> ids, int lane) {
    List<Integer> sorted = new ArrayList<>(ids);
    sorted.sort(
        Comparator.comparingLong((Integer i) -> spans.get(i).startNs())
            .thenComparing(i -> -spans.get(i).endNs())
            .thenComparingInt(i -> i));
    Deque<Integer> open = new ArrayDeque<>();
    int max = 1;
    for (int i : sorted) {
      SpanRecord s = spans.get(i);
      while (!open.isEmpty() && spans.get(open.peek()).endNs() <= s.startNs()) {
        open.pop();
      }
      laneOf[i] = lane;
      depthOf[i] = open.size();
      if (!open.isEmpty()) {
        hasChild[open.peek()] = true;
      }
      open.push(i);
      max = Math.max(max, open.size());
    }
    return max;
  }

  private String name(long tid, List<Integer> ids) {
    for (int i : ids) {
      if (spans.get(i).attributes().get(SpanKeys.THREAD_NAME) instanceof String n && !n.isBlank()) {
        return n + " (" + tid + ")";
      }
    }
    return tid == 0 ? "spans without thread.id" : "thread " + tid;
  }

  List<ProcessGroup> processes() {
    return List.copyOf(processes);
  }

  List<Lane> lanes() {
    return List.copyOf(lanes);
  }

  List<PhaseBar> bars(Map<String, Integer> traceIndex) {
    Map<String, Integer> bySpanId = new HashMap<>();
    for (int i = 0; i < spans.size(); i++) {
      bySpanId.putIfAbsent(spans.get(i).traceId() + "/" + spans.get(i).spanId(), i);
    }
    List<PhaseBar> out = new ArrayList<>(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      SpanRecord s = spans.get(i);
      int parent =
          s.isRoot() ? -1 : bySpanId.getOrDefault(s.traceId() + "/" + s.parentSpanId(), -1);
      out.add(
          new PhaseBar(
              i,
              s,
              laneOf[i],
              depthOf[i],
              !hasChild[i],
              traceIndex.get(s.traceId()),
              parent,
              Breakdown.of(s)));
    }
    return List.copyOf(out);
  }
}
