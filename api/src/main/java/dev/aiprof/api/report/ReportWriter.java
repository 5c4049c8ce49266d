package dev.aiprof.api.report;

import dev.aiprof.api.metrics.Log2Histogram;

/**
 * Where a {@link ReportSection} writes: structured parts, so one section renders as the text of
 * {@code aiprof profile} and as the HTML report alike. Not thread-safe: one section at a time.
 */
public interface ReportWriter {
  /** A section or sub-section title. */
  void heading(String title);

  /** A table. */
  void table(Table table);

  /** A log2 histogram of nanoseconds, as the text report's bar chart. */
  void histogram(String title, Log2Histogram nanos);

  /** A line of prose or a note ("(no activity in the selected workloads)"). */
  void line(String text);
}
