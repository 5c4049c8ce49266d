package dev.aiprof.report.model;

import java.util.Locale;

/**
 * The one-line answer to "where did the time go": the shares of thread time inside phases, and for
 * the largest wait, the phase that holds most of it. Pure.
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
    int wait = 1;
    for (int i = 2; i < 4; i++) {
      if (v[i] > v[wait]) {
        wait = i;
      }
    }
    if (v[wait] / all >= 0.05) {
      PhaseStats top = narrowest(m, wait);
      b.append(". Most ")
          .append(Breakdown.LABELS[wait])
          .append(" is in ")
          .append(top.name())
          .append(" (")
          .append(ms(top.breakdown().values()[wait]))
          .append(')');
    }
    return b.append('.').toString();
  }

  /**
   * The phase with the most of column {@code c}; among phases within 10% of that, the one with the
   * least wall time: an outer phase holds its children's waits too, the inner one names the cause.
   */
  static PhaseStats narrowest(WindowModel m, int c) {
    double max = 0;
    for (PhaseStats p : m.phaseStats()) {
      max = Math.max(max, p.breakdown().values()[c]);
    }
    PhaseStats top = null;
    for (PhaseStats p : m.phaseStats()) {
      if (p.breakdown().values()[c] >= 0.9 * max && (top == null || p.wallMs() < top.wallMs())) {
        top = p;
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
