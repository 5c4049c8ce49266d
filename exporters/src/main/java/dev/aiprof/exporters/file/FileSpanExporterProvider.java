package dev.aiprof.exporters.file;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** {@code otel.traces.exporter=aiprof-file}: the embedded OTLP/JSON file exporter for spans. */
public final class FileSpanExporterProvider implements ConfigurableSpanExporterProvider {
  public static final String NAME = "aiprof-file";

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    return new FileSpanExporter(FileSettings.from(config));
  }

  @Override
  public String getName() {
    return NAME;
  }
}
