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
 * Places spans on lanes: one lane per (process, thread), processes keyed by (service, pid) in that
 * order, threads by tid (0, spans naming no thread, first). On a lane, a span's depth is how many
 * earlier spans of the lane still run at its start (spans nest on a thread). Pure.
 */
final class LaneLayout {
  private record ProcKey(String service, long pid) {}

  private final List<SpanRecord> spans;
  private final List<ProcessGroup> processes = new ArrayList<>();
  private final List<Lane> lanes = new ArrayList<>();
  private final int[] laneOf;
  private final int[] depthOf;

  private LaneLayout(List<SpanRecord> spans) {
    this.spans = spans;
    this.laneOf = new int[spans.size()];
    this.depthOf = new int[spans.size()];
  }

  static LaneLayout of(List<SpanRecord> spans) {
    LaneLayout l = new LaneLayout(spans);
    l.layout();
    return l;
  }

  private void layout() {
    Map<ProcKey, TreeMap<Long, List<Integer>>> byProc =
        new TreeMap<>(Comparator.comparing(ProcKey::service).thenComparingLong(ProcKey::pid));
    for (int i = 0; i < spans.size(); i++) {
      SpanRecord s = spans.get(i);
      byProc
          .computeIfAbsent(new ProcKey(s.service(), s.pid()), k -> new TreeMap<>())
          .computeIfAbsent(s.tid(), k -> new ArrayList<>())
          .add(i);
    }
    for (var p : byProc.entrySet()) {
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
              processes.size(), p.getKey().service(), p.getKey().pid(), List.copyOf(laneIds), gpu));
    }
  }

  /** Sets the depth of each span of one lane; returns the lane's depth. */
  private int nest(List<Integer> ids, int lane) {
    List<Integer> sorted = new ArrayList<>(ids);
    sorted.sort(
        Comparator.comparingLong((Integer i) -> spans.get(i).startNs())
            .thenComparing(i -> -spans.get(i).endNs())
            .thenComparingInt(i -> i));
    Deque<Long> open = new ArrayDeque<>();
    int max = 1;
    for (int i : sorted) {
      SpanRecord s = spans.get(i);
      while (!open.isEmpty() && open.peek() <= s.startNs()) {
        open.pop();
      }
      laneOf[i] = lane;
      depthOf[i] = open.size();
      open.push(s.endNs());
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
              i, s, laneOf[i], depthOf[i], traceIndex.get(s.traceId()), parent, Breakdown.of(s)));
    }
    return List.copyOf(out);
  }
}
