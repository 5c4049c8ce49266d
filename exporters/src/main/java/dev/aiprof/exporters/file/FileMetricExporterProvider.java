package dev.aiprof.exporters.file;

import dev.aiprof.exporters.ExporterProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Locale;

/**
 * {@code otel.metrics.exporter=aiprof-file}: the embedded OTLP/JSON file exporter for metrics. Its
 * histogram aggregation is the OTLP exporters' ({@link ExporterProperties#HISTOGRAM_AGGREGATION}),
 * so the files hold what OTLP would carry.
 */
public final class FileMetricExporterProvider implements ConfigurableMetricExporterProvider {
  @Override
  public MetricExporter createExporter(ConfigProperties config) {
    return new FileMetricExporter(FileSettings.from(config), histograms(config));
  }

  /**
   * @throws ConfigurationException on a value the OTLP exporters would refuse too
   */
  static Aggregation histograms(ConfigProperties config) {
    String v =
        config.getString(ExporterProperties.HISTOGRAM_AGGREGATION, "explicit_bucket_histogram");
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "explicit_bucket_histogram" -> Aggregation.defaultAggregation(); // honours bucket advice
      case "base2_exponential_bucket_histogram" -> Aggregation.base2ExponentialBucketHistogram();
      default ->
          throw new ConfigurationException(
              "Unrecognized "
                  + ExporterProperties.HISTOGRAM_AGGREGATION
                  + ": "
                  + v
                  + "; use EXPLICIT_BUCKET_HISTOGRAM or BASE2_EXPONENTIAL_BUCKET_HISTOGRAM");
    };
  }

  @Override
  public String getName() {
    return FileSpanExporterProvider.NAME;
  }
}
