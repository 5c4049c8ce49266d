package dev.aiprof.profiler;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import java.util.ArrayList;
import java.util.List;

/** A {@link ReportWriter} that keeps what a section wrote, as text lines. */
final class RecordingWriter implements ReportWriter {
  final List<String> lines = new ArrayList<>();

  @Override
  public void heading(String title) {
    lines.add("## " + title);
  }

  @Override
  public void table(Table table) {
    for (List<String> row : table.rows()) {
      lines.add(String.join(" | ", row));
    }
  }

  @Override
  public void histogram(String title, Log2Histogram nanos) {
    lines.add("histogram " + title);
  }

  @Override
  public void line(String text) {
    lines.add(text);
  }

  String text() {
    return String.join("\n", lines);
  }
}
