package dev.aiprof.report.model;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one-line answer to "where did the time go": the shares of thread time inside phases, and for
 * the largest wait (runqueue or I/O; other off-CPU only when neither is 5%), the innermost phase
 * that holds most of it. Pure.
 */
public final class Verdict {
  private Verdict() {}

  public static String of(WindowModel m) {
    Breakdown t = m.total();
    if (!t.measured() || t.threadMs() <= 0) {
      return "No phase carries aiprof.sched.* attributes: these spans were not described by the"
          + " agent (send them to its OTLP receiver, or mark phases with libaiprof.so).";
    }
    double[] v = t.values();
    double all = t.threadMs();
    StringBuilder b = new StringBuilder("Thread time in phases: ");
    for (int i = 0; i < 4; i++) {
      b.append(i == 0 ? "" : ", ").append(pct(v[i] / all)).append(' ').append(Breakdown.LABELS[i]);
    }
    if (t.gpu() > 0) {
      b.append("; GPU ").append(ms(t.gpu()));
    }
    // Runqueue and I/O waits name a cause; other off-CPU time (sleep) is mostly a thread waiting
    // for another one, so it is named only when neither of the first two is worth it.
    int wait = v[2] > v[1] ? 2 : 1;
    if (v[wait] / all < 0.05) {
      wait = 3;
    }
    if (v[wait] / all >= 0.05) {
      Map.Entry<String, Double> top = narrowest(m, wait);
      b.append(". Most ")
          .append(Breakdown.LABELS[wait])
          .append(" is in ")
          .append(top.getKey())
          .append(" (")
          .append(ms(top.getValue()))
          .append(" of ")
          .append(ms(v[wait]))
          .append(')');
    }
    return b.append('.').toString();
  }

  /**
   * The phase that holds the most of column {@code c} in its own time: summed over leaf phases only
   * (no phase of the same thread inside), since an outer phase holds its children's waits too.
   */
  static Map.Entry<String, Double> narrowest(WindowModel m, int c) {
    Map<String, Double> sums = new TreeMap<>();
    for (PhaseBar b : m.phases()) {
      if (b.leaf()) {
        sums.merge(PhaseStatsBuilder.key(b.span()), b.breakdown().values()[c], Double::sum);
      }
    }
    Map.Entry<String, Double> top = null;
    for (var e : sums.entrySet()) {
      if (top == null || e.getValue() > top.getValue()) {
        top = e;
      }
    }
    return top;
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  static String ms(double ms) {
    return ms >= 1000
        ? String.format(Locale.ROOT, "%.2f s", ms / 1000)
        : String.format(Locale.ROOT, "%.1f ms", ms);
  }
}
