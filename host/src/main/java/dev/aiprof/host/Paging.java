package dev.aiprof.host;

/**
 * The paging counters of {@code /proc/vmstat}, cumulative since boot. {@code pgfault} counts every
 * fault, major ones included, so minor = pgfault − pgmajfault. Immutable.
 */
public record Paging(long faults, long majorFaults, long swapIns, long swapOuts) {
  public long minorFaults() {
    return Math.max(0, faults - majorFaults);
  }

  /** Parses the text of {@code /proc/vmstat}; absent keys are 0. */
  public static Paging parse(String text) {
    long fault = 0, maj = 0, swin = 0, swout = 0;
    int at = 0;
    int n = text.length();
    while (at < n) {
      int end = text.indexOf('\n', at);
      if (end < 0) {
        end = n;
      }
      int space = text.indexOf(' ', at);
      if (space > at && space < end) {
        long v = Fields.number(text, space + 1, end);
        switch (text.substring(at, space)) {
          case "pgfault" -> fault = v;
          case "pgmajfault" -> maj = v;
          case "pswpin" -> swin = v;
          case "pswpout" -> swout = v;
          default -> {}
        }
      }
      at = end + 1;
    }
    return new Paging(fault, maj, swin, swout);
  }
}
