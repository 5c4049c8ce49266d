package dev.aiprof.agent.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of the demo's phase table: every exported span of one name and source, with its wall
 * times and the summed thread time by category (milliseconds, from the spans' {@code
 * aiprof.sched.*_ms} attributes). Not thread-safe.
 */
final class PhaseRow {
  final String name;
  final String source;
  final List<Long> walls = new ArrayList<>();
  double onCpu;
  double runqueue;
  double blocked;
  double otherOff;
  double steal;
  double gpu;

  PhaseRow(String name, String source) {
    this.name = name;
    this.source = source;
  }

  void add(RecordedSpan s) {
    walls.add(s.wallNanos());
    onCpu += s.number("aiprof.sched.on_cpu_ms");
    runqueue += s.number("aiprof.sched.runqueue_ms");
    blocked += s.number("aiprof.sched.blocked_ms");
    otherOff += s.number("aiprof.sched.sleep_ms") + s.number("aiprof.sched.other_ms");
    steal += s.number("aiprof.sched.steal_ms");
    for (var e : s.attributes().entrySet()) {
      if (e.getKey().startsWith("aiprof.gpu.")
          && e.getKey().endsWith("busy_ms")
          && e.getValue() instanceof Number n) {
        gpu += n.doubleValue();
      }
    }
  }

  int count() {
    return walls.size();
  }

  /** Thread time described (ms): the categories that partition it. */
  double threadMs() {
    return onCpu + runqueue + blocked + otherOff + steal;
  }

  /** The nearest-rank quantile of the wall times, in ns. */
  long wall(double q) {
    List<Long> v = new ArrayList<>(walls);
    v.sort(null);
    int rank = (int) Math.ceil(q * v.size());
    return v.get(Math.max(0, Math.min(v.size() - 1, rank - 1)));
  }

  double share(double ms) {
    double t = threadMs();
    return t == 0 ? 0 : ms / t;
  }
}
