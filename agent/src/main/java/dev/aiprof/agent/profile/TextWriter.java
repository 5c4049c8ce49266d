package dev.aiprof.agent.profile;

import static dev.aiprof.api.Durations.format;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes report sections as the text of {@code aiprof profile}: headings end in a colon, what
 * follows a heading is indented by two spaces, table columns are as wide as their widest cell (left
 * columns clipped in the middle at their limit), histograms are bar charts. Not thread-safe.
 */
final class TextWriter implements ReportWriter {
  private static final int BAR = 40;

  private final PrintStream out;
  private boolean underHeading;
  private boolean blank = true;

  TextWriter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void heading(String title) {
    if (!blank) {
      out.println();
    }
    out.println(title + ":");
    underHeading = true;
    blank = false;
  }

  @Override
  public void line(String text) {
    out.println((underHeading ? "  " : "") + text);
    blank = false;
  }

  /** Ends a block: one blank line, and what follows is no longer under the heading. */
  void end() {
    if (!blank) {
      out.println();
    }
    blank = true;
    underHeading = false;
  }

  @Override
  public void table(Table t) {
    List<Table.Column> cols = t.columns();
    int[] width = new int[cols.size()];
    for (int c = 0; c < cols.size(); c++) {
      width[c] = cols.get(c).header().length();
      for (List<String> row : t.rows()) {
        width[c] = Math.max(width[c], Math.min(cols.get(c).maxWidth(), row.get(c).length()));
      }
    }
    print(cols, width, cols.stream().map(Table.Column::header).toList());
    for (List<String> row : t.rows()) {
      print(cols, width, row);
    }
    end();
  }

  private void print(List<Table.Column> cols, int[] width, List<String> cells) {
    StringBuilder b = new StringBuilder("  ");
    for (int c = 0; c < cols.size(); c++) {
      String v = clip(cells.get(c), width[c]);
      String pad = " ".repeat(width[c] - v.length());
      b.append(cols.get(c).right() ? pad + v : v + pad);
      if (c < cols.size() - 1) {
        b.append(' ');
      }
    }
    out.println(b.toString().stripTrailing());
    blank = false;
  }

  @Override
  public void histogram(String title, Log2Histogram h) {
    heading(title);
    int first = 0;
    int last = h.slots() - 1;
    while (first < h.slots() && h.count(first) == 0) {
      first++;
    }
    while (last >= 0 && h.count(last) == 0) {
      last--;
    }
    if (first > last) {
      line("(no waits)");
      end();
      return;
    }
    long max = 0;
    for (int i = first; i <= last; i++) {
      max = Math.max(max, h.count(i));
    }
    for (int i = first; i <= last; i++) {
      int bar = (int) Math.round((double) h.count(i) * BAR / max);
      out.printf(
          "  %9s -> %-9s : %-8d |%-40s|%n",
          format(Log2Histogram.lowerBound(i)),
          format(Log2Histogram.upperBound(i)),
          h.count(i),
          "*".repeat(bar));
    }
    blank = false;
    end();
  }

  /** Shortens in the middle, keeping the start ("memcg /...") and the distinctive end. */
  static String clip(String s, int n) {
    if (s.length() <= n) {
      return s;
    }
    int head = Math.min(10, n / 3);
    return s.substring(0, head) + "…" + s.substring(s.length() - (n - head - 1));
  }
}
