/**
 * The metrics bridge: collectors' cumulative values ({@link dev.aiprof.api.metrics.MetricSink}) to
 * OpenTelemetry {@code MetricData} on every collection, with log2 histograms as explicit buckets in
 * seconds, stable start times and workload attributes. Names nothing metric-specific.
 */
package dev.aiprof.exporters.metrics;
