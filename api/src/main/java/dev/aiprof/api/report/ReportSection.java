package dev.aiprof.api.report;

/**
 * A collector's part of a report (the scheduler's workloads, threads and stalls; a GPU's devices).
 * The pipeline opens it when the report window starts and renders it when the window ends; {@code
 * aiprof profile} prints the text, the HTML report lays out the same parts.
 *
 * <p>Lifecycle: {@link #open} once at the window's start, {@link #render} once at its end, on one
 * thread.
 */
public interface ReportSection {
  /** Where the section goes among the others: lower first (workloads 100, threads 300...). */
  int order();

  /** The window starts: take the baselines the section will subtract. */
  void open(ReportScope scope);

  /** The window ended: write what it measured. */
  void render(ReportWriter out);
}
