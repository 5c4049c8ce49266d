package dev.aiprof.exporters.file;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/** {@code otel.metrics.exporter=aiprof-file}: the embedded OTLP/JSON file exporter for metrics. */
public final class FileMetricExporterProvider implements ConfigurableMetricExporterProvider {
  @Override
  public MetricExporter createExporter(ConfigProperties config) {
    return new FileMetricExporter(FileSettings.from(config));
  }

  @Override
  public String getName() {
    return FileSpanExporterProvider.NAME;
  }
}
