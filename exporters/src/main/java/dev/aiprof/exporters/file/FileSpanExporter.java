package dev.aiprof.exporters.file;

import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.exporter.logging.otlp.internal.traces.OtlpStdoutSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * Writes spans as OTLP/JSON lines, one {@code ExportTraceServiceRequest} per line (the format of
 * the OTLP file exporter spec and the collector's {@code file} exporter), to rotating {@code
 * traces-*.jsonl} files. The JSON encoding is the SDK's own (its OTLP stdout exporter, pointed at
 * our file). An export whose line could not be written fails.
 *
 * <p>Thread-safe (the SDK serializes exports; writes are serialized by the file).
 */
public final class FileSpanExporter implements SpanExporter {
  private final RotatingFile file;
  private final SpanExporter json;

  public FileSpanExporter(FileSettings settings) {
    this.file = settings.open("traces");
    this.json =
        new OtlpStdoutSpanExporterBuilder(Logger.getLogger(FileSpanExporter.class.getName()))
            .setWrapperJsonObject(true)
            .setOutput(new LineStream(file))
            .build();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    long before = file.errors();
    CompletableResultCode r = json.export(spans);
    return file.errors() > before ? CompletableResultCode.ofFailure() : r;
  }

  @Override
  public CompletableResultCode flush() {
    return json.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return json.shutdown();
  }

  /** Lines not written, files deleted for the cap, bytes written. */
  public void collect(MetricSink sink) {
    FileMetrics.collect(sink, "traces", file);
  }

  @Override
  public String toString() {
    return "FileSpanExporter{" + file.current() + "}";
  }
}
