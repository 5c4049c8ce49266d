/**
 * OpenTelemetry export. {@link dev.aiprof.exporters.Exporters} sets up the SDK through its
 * autoconfiguration (every {@code OTEL_*} variable works) with the agent's defaults and flags
 * ({@link dev.aiprof.exporters.ExporterProperties}); metrics come from collectors through the
 * {@link dev.aiprof.exporters.metrics.MetricsBridge} and from the agent's own SDK instruments
 * ({@link dev.aiprof.exporters.Exporters#meter()}, aggregated by each reader: base-2 exponential
 * histograms over OTLP and in the files, explicit buckets for Prometheus), spans through a bounded
 * {@link dev.aiprof.exporters.traces.SpanQueue}; without an OTLP endpoint both go to OTLP/JSON
 * files ({@link dev.aiprof.exporters.file}), and a Prometheus endpoint serves the metrics. This
 * module depends on collectors only: the agent adapts its correlated phases into spans.
 */
package dev.aiprof.exporters;
