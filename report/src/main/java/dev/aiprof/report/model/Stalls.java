package dev.aiprof.report.model;

import dev.aiprof.report.otlp.SpanRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stalls of the window from the phases' {@code aiprof.sched.stall} events, once per episode (a
 * stall inside nested phases is an event of each; the longest report of it is kept), at most {@code
 * max}, longest first when there are more; sorted by lane and start. Pure.
 */
final class Stalls {
  private Stalls() {}

  private record Key(int lane, long startNs, String kind) {}

  static List<Stall> of(List<PhaseBar> bars, int max) {
    Map<Key, Stall> once = new LinkedHashMap<>();
    for (PhaseBar b : bars) {
      for (SpanRecord.SpanEvent e : b.span().events()) {
        if (!e.name().equals(SpanKeys.STALL_EVENT)) {
          continue;
        }
        double ms = e.number(SpanKeys.STALL_MS).orElse(0.0);
        String kind = e.text(SpanKeys.STALL_KIND).orElse("other");
        Stall s = new Stall(b.lane(), e.timeNs(), e.timeNs() + (long) (ms * 1e6), kind, b.index());
        once.merge(new Key(b.lane(), e.timeNs(), kind), s, (a, c) -> c.endNs() > a.endNs() ? c : a);
      }
    }
    List<Stall> all = new ArrayList<>(once.values());
    if (all.size() > max) {
      all.sort(Comparator.comparingLong((Stall s) -> s.startNs() - s.endNs()));
      all = new ArrayList<>(all.subList(0, max));
    }
    all.sort(
        Comparator.comparingInt(Stall::lane)
            .thenComparingLong(Stall::startNs)
            .thenComparing(Stall::kind));
    return List.copyOf(all);
  }
}
