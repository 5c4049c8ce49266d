package dev.aiprof.exporters.file;

import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.exporters.ExportMetrics;
import io.opentelemetry.api.common.Attributes;

/** Reports a {@link RotatingFile}'s counters. */
final class FileMetrics {
  private FileMetrics() {}

  static void collect(MetricSink sink, String signal, RotatingFile file) {
    Attributes a = Attributes.of(ExportMetrics.SIGNAL, signal);
    sink.counter(ExportMetrics.FILE_ERRORS, a, file.errors());
    sink.counter(ExportMetrics.FILE_DELETED, a, file.deleted());
    sink.counter(ExportMetrics.FILE_BYTES, a, file.written());
  }
}
