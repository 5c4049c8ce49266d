package dev.aiprof.report.model;

import dev.aiprof.api.category.Category;
import dev.aiprof.report.otlp.SpanRecord;
import java.util.Map;

/**
 * Where a phase's thread time went, in milliseconds, in the report's five columns: on-CPU, runqueue
 * (with steal: both are waits for a CPU, as in {@code aiprof profile}), I/O wait (blocked, state
 * D), other off-CPU (sleep and other states), and GPU (device time from {@code aiprof.gpu.*_ms}
 * attributes, beside the thread time). {@code measured} is false for a span without scheduler
 * attributes (one the agent did not describe).
 */
public record Breakdown(
    double onCpu, double runqueue, double ioWait, double otherOff, double gpu, boolean measured) {
  public static final Breakdown NONE = new Breakdown(0, 0, 0, 0, 0, false);

  /** Column ids, in order: the JSON and the page use them. */
  public static final String[] COLUMNS = {
    Category.ON_CPU.id(), Category.RUNQUEUE.id(), "io_wait", "other_off", "gpu"
  };

  /** Column labels, in order. */
  public static final String[] LABELS = {
    Category.ON_CPU.label(), Category.RUNQUEUE.label(), "I/O wait", Category.OTHER.label(), "GPU"
  };

  public static Breakdown of(SpanRecord s) {
    Map<String, Object> a = s.attributes();
    boolean measured = a.containsKey(SpanKeys.sched(Category.ON_CPU));
    double gpu = 0;
    boolean anyGpu = false;
    for (var e : a.entrySet()) {
      if (e.getKey().startsWith(SpanKeys.GPU_PREFIX)
          && e.getKey().endsWith("_ms")
          && e.getValue() instanceof Number n) {
        gpu += n.doubleValue();
        anyGpu = true;
      }
    }
    if (!measured && !anyGpu) {
      return NONE;
    }
    return new Breakdown(
        ms(a, Category.ON_CPU),
        ms(a, Category.RUNQUEUE) + ms(a, Category.STEAL),
        ms(a, Category.BLOCKED),
        ms(a, Category.SLEEP) + ms(a, Category.OTHER),
        gpu,
        measured);
  }

  private static double ms(Map<String, Object> a, Category c) {
    return a.get(SpanKeys.sched(c)) instanceof Number n ? n.doubleValue() : 0;
  }

  public Breakdown plus(Breakdown o) {
    return new Breakdown(
        onCpu + o.onCpu,
        runqueue + o.runqueue,
        ioWait + o.ioWait,
        otherOff + o.otherOff,
        gpu + o.gpu,
        measured || o.measured);
  }

  /** The five columns, in {@link #COLUMNS} order. */
  public double[] values() {
    return new double[] {onCpu, runqueue, ioWait, otherOff, gpu};
  }

  /** The thread time accounted (every column but GPU). */
  public double threadMs() {
    return onCpu + runqueue + ioWait + otherOff;
  }
}
