package dev.aiprof.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.PrintStream;
import java.util.Collection;

/**
 * A span exporter that prints each span's ids as one line, {@code span NAME TRACE_ID SPAN_ID
 * PARENT_ID|- START END} (epoch ns), so a test can look for the same ids in a backend. Used from a
 * batch processor (its own thread); the stream's own lock keeps lines whole.
 */
final class SpanIdsPrinter implements SpanExporter {
  private final PrintStream out;

  SpanIdsPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    for (SpanData s : spans) {
      String parent = s.getParentSpanContext().isValid() ? s.getParentSpanId() : "-";
      out.println(
          "span "
              + s.getName()
              + " "
              + s.getTraceId()
              + " "
              + s.getSpanId()
              + " "
              + parent
              + " "
              + s.getStartEpochNanos()
              + " "
              + s.getEndEpochNanos());
    }
    out.flush();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    out.flush();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return flush();
  }
}
