/**
 * OpenTelemetry export. {@link dev.aiprof.exporters.Exporters} sets up the SDK through its
 * autoconfiguration (every {@code OTEL_*} variable works) with the agent's defaults and flags
 * ({@link dev.aiprof.exporters.ExporterProperties}); metrics come from collectors through the
 * {@link dev.aiprof.exporters.metrics.MetricsBridge}, spans through a bounded {@link
 * dev.aiprof.exporters.traces.SpanQueue}; without an OTLP endpoint both go to OTLP/JSON files
 * ({@link dev.aiprof.exporters.file}), and a Prometheus endpoint serves the metrics. This module
 * depends on collectors only: the agent adapts its correlated phases into spans.
 */
package dev.aiprof.exporters;
